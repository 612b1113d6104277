import { describeFuzz } from './harness';
import { sqlProperties } from './targets/sql';

describe('fuzz: SQL analyzer, splitter, tokenizer, highlighter, excerpt', () => describeFuzz(sqlProperties));
