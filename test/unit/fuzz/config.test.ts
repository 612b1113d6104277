import { describeFuzz } from './harness';
import { configProperties } from './targets/config';

describe('fuzz: configuration and profiles', () => describeFuzz(configProperties));
