import { describeFuzz } from './harness';
import { backendProperties } from './targets/backends';

describe('fuzz: backend response parsers', () => describeFuzz(backendProperties));
