import { describeFuzz } from './harness';
import { draftProperties } from './targets/draft';

describe('fuzz: draft documents', () => describeFuzz(draftProperties));
