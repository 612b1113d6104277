import { describeFuzz } from './harness';
import { eventLogProperties } from './targets/eventLog';

describe('fuzz: Local event log reader', () => describeFuzz(eventLogProperties));
