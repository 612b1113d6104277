import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { SqlDialect } from '../../../../src/core/sql/dialect';
import { SqlSplitter, splitSql, splitSqlStream } from '../../../../src/core/sql/splitter';

function texts(sql: string, dialect: SqlDialect): string[] {
  return splitSql(sql, dialect).map((statement) => statement.text);
}

const bothDialects: SqlDialect[] = ['mysql', 'postgres'];

describe('splitSql', () => {
  describe('in every dialect', () => {
    for (const dialect of [...bothDialects, 'generic'] as SqlDialect[]) {
      describe(dialect, () => {
        it('splits on semicolons and drops empty statements', () => {
          assert.deepEqual(texts('SELECT 1;;  ; SELECT 2;\n;', dialect), ['SELECT 1', 'SELECT 2']);
        });

        it('reads a byte order mark and Unicode blanks as whitespace, not as a statement (found by fuzzing)', () => {
          assert.deepEqual(texts('\uFEFFDELETE FROM t;\u00a0', dialect), ['DELETE FROM t']);
          assert.deepEqual(texts('SELECT\u3000a\u2028;\u2003', dialect), ['SELECT\u3000a']);
        });

        it('keeps the last statement without a terminator', () => {
          assert.deepEqual(texts('SELECT 1; SELECT 2', dialect), ['SELECT 1', 'SELECT 2']);
        });

        it('ignores a semicolon inside a line comment, and leaves comments around statements out', () => {
          assert.deepEqual(texts('-- lead; comment\nSELECT 1 -- tail; here\n, 2; -- trailing;\n', dialect), ['SELECT 1 -- tail; here\n, 2']);
        });

        it('ignores a semicolon inside a block comment', () => {
          assert.deepEqual(texts('SELECT /* a; b */ 1; /* only; a comment */', dialect), ['SELECT /* a; b */ 1']);
        });

        it("ignores a semicolon inside a quoted string with doubled quotes", () => {
          assert.deepEqual(texts("SELECT 'it''s; fine'; SELECT 2", dialect), ["SELECT 'it''s; fine'", 'SELECT 2']);
        });

        it('ignores a semicolon inside a backtick identifier', () => {
          assert.deepEqual(texts('SELECT `a;b` FROM t; SELECT 2', dialect), ['SELECT `a;b` FROM t', 'SELECT 2']);
        });

        it('produces nothing for blank input, comments only, or terminators only', () => {
          assert.deepEqual(texts('', dialect), []);
          assert.deepEqual(texts(' \n\t ', dialect), []);
          assert.deepEqual(texts('-- x\n/* y */ ;;', dialect), []);
        });

        it('splits BEGIN…END bodies of procedures only at the final END', () => {
          const procedure = 'CREATE PROCEDURE p() BEGIN UPDATE t SET a = CASE WHEN b THEN 1 ELSE 2 END; IF x THEN SELECT 1; END IF; END';
          assert.deepEqual(texts(`${procedure}; SELECT 3;`, dialect), [procedure, 'SELECT 3']);
        });

        it('a transaction BEGIN does not swallow the following statements', () => {
          assert.deepEqual(texts('BEGIN; UPDATE t SET a = 1 WHERE id = 2; COMMIT;', dialect), ['BEGIN', 'UPDATE t SET a = 1 WHERE id = 2', 'COMMIT']);
        });
      });
    }
  });

  describe('mysql', () => {
    it('treats backslash as an escape in single- and double-quoted strings', () => {
      assert.deepEqual(texts("SELECT 'a\\';b', \"c\\\";d\"; SELECT 2", 'mysql'), ["SELECT 'a\\';b', \"c\\\";d\"", 'SELECT 2']);
    });

    it('treats # as a line comment', () => {
      assert.deepEqual(texts('SELECT 1 # not; split\n, 2; # trailing', 'mysql'), ['SELECT 1 # not; split\n, 2']);
    });

    it('needs a space after -- for a comment, as MySQL does', () => {
      assert.deepEqual(texts('SELECT 1--1; SELECT 2', 'mysql'), ['SELECT 1--1', 'SELECT 2']);
    });

    it('follows DELIMITER directives and leaves them out of the statements', () => {
      const sql = [
        'DELIMITER //',
        'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END //',
        'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END//',
        'DELIMITER ;',
        'SELECT 3;',
      ].join('\n');
      assert.deepEqual(texts(sql, 'mysql'), [
        'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END',
        'CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END',
        'SELECT 3',
      ]);
    });

    it('recognises a $$ delimiter even right after a word', () => {
      const sql = 'DELIMITER $$\nCREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END$$\nDELIMITER ;\nSELECT f();';
      assert.deepEqual(texts(sql, 'mysql'), ['CREATE FUNCTION f() RETURNS INT BEGIN RETURN 1; END', 'SELECT f()']);
    });

    it('splits a trigger body without DELIMITER at its final END, past END IF and END LOOP', () => {
      const trigger =
        'CREATE DEFINER=`root`@`%` TRIGGER t BEFORE UPDATE ON x FOR EACH ROW BEGIN IF NEW.a > 0 THEN SET NEW.b = 1; END IF; l: LOOP LEAVE l; END LOOP; END';
      assert.deepEqual(texts(`${trigger};\nSELECT 1`, 'mysql'), [trigger, 'SELECT 1']);
    });

    it('keeps an executable /*! */ comment as a statement', () => {
      assert.deepEqual(texts('/*!40101 SET NAMES utf8mb4 */;\nSELECT 1;', 'mysql'), ['/*!40101 SET NAMES utf8mb4 */', 'SELECT 1']);
    });

    it('does not treat $ as a dollar quote', () => {
      assert.deepEqual(texts("SELECT '$a$'; SELECT $a$; SELECT 2", 'mysql'), ["SELECT '$a$'", 'SELECT $a$', 'SELECT 2']);
    });
  });

  describe('postgres', () => {
    it('nests block comments', () => {
      assert.deepEqual(texts('SELECT 1 /* a /* b; */ c; */ + 1; SELECT 2', 'postgres'), ['SELECT 1 /* a /* b; */ c; */ + 1', 'SELECT 2']);
    });

    it('treats backslash literally in standard strings', () => {
      assert.deepEqual(texts("SELECT 'C:\\'; SELECT 2", 'postgres'), ["SELECT 'C:\\'", 'SELECT 2']);
    });

    it("honours backslash escapes in E'' strings", () => {
      assert.deepEqual(texts("SELECT E'a\\';b', e'\\\\'; SELECT 2", 'postgres'), ["SELECT E'a\\';b', e'\\\\'", 'SELECT 2']);
    });

    it('ignores semicolons inside double-quoted identifiers with doubled quotes', () => {
      assert.deepEqual(texts('SELECT "a"";b" FROM t; SELECT 2', 'postgres'), ['SELECT "a"";b" FROM t', 'SELECT 2']);
    });

    it('keeps $$ and $tag$ bodies whole, including other tags inside', () => {
      const fn = "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN PERFORM $$;$$; RETURN 1; END; $body$";
      assert.deepEqual(texts(`${fn}; DO $$ BEGIN RAISE NOTICE ';'; END $$;`, 'postgres'), [fn, "DO $$ BEGIN RAISE NOTICE ';'; END $$"]);
    });

    it('does not mistake $1 parameters or identifiers with $ for dollar quotes', () => {
      assert.deepEqual(texts('SELECT $1, a$b$ FROM t; SELECT 2', 'postgres'), ['SELECT $1, a$b$ FROM t', 'SELECT 2']);
    });

    it('treats # as an operator and -- without a space as a comment', () => {
      assert.deepEqual(texts('SELECT 1 # 2; SELECT 3--4;\nSELECT 5', 'postgres'), ['SELECT 1 # 2', 'SELECT 3--4;\nSELECT 5']);
    });

    it('keeps a BEGIN ATOMIC function body whole', () => {
      const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END';
      assert.deepEqual(texts(`${fn}; SELECT 3`, 'postgres'), [fn, 'SELECT 3']);
    });
  });

  describe('positions', () => {
    it('gives 1-based lines and columns, with an exclusive end, and 0-based offsets', () => {
      const [first, second] = splitSql('  SELECT 1;\n\n  -- note\n  UPDATE t\n  SET a = 1 WHERE b;', 'postgres');
      assert.deepEqual(first.start, { line: 1, column: 3, offset: 2 });
      assert.deepEqual(first.end, { line: 1, column: 11, offset: 10 });
      assert.deepEqual(second.start, { line: 4, column: 3, offset: 25 });
      assert.deepEqual(second.end, { line: 5, column: 20, offset: 53 });
      assert.deepEqual([first.index, second.index], [1, 2]);
    });

    it('counts lines and columns from where the text starts in its document: a selection mid-file and mid-line', () => {
      const [first, second] = splitSql("SELECT 1;\n  DROP TABLE t;\nSELECT 'a", 'postgres', { line: 9, column: 5 });
      assert.deepEqual(first.start, { line: 9, column: 5, offset: 0 }, 'the first line starts at the column the text starts at');
      assert.deepEqual(first.end, { line: 9, column: 13, offset: 8 });
      assert.deepEqual(second.start, { line: 10, column: 3, offset: 12 }, 'later lines count columns from 1');
      const third = splitSql("SELECT 1;\n  DROP TABLE t;\nSELECT 'a", 'postgres', { line: 9, column: 5 })[2];
      assert.deepEqual(third.unterminated?.at, { line: 11, column: 8, offset: 33 });
    });

    it('counts from the start position in a stream too, whatever the chunks', () => {
      const script = '-- header\nSELECT 1;\r\nUPDATE t SET a = 1 WHERE b;';
      const whole = splitSql(script, 'mysql', { line: 40, column: 1 });
      const splitter = new SqlSplitter('mysql', { line: 40, column: 1 });
      const streamed = [...script].flatMap((char) => splitter.push(char)).concat(splitter.end());
      assert.deepEqual(streamed, whole);
      assert.deepEqual(whole.map((s) => s.start.line), [41, 42]);
      const [far] = splitSql('SELECT 1', 'generic', { line: 2 ** 40, column: 1 });
      assert.equal(far.start.line, 2 ** 40, 'no text is built for the lines above');
    });

    it('counts CRLF line ends as one line break', () => {
      const [, second] = splitSql('SELECT 1;\r\nSELECT 2;', 'mysql');
      assert.deepEqual(second.start, { line: 2, column: 1, offset: 11 });
    });

    it('reports where an unterminated quote, dollar body or executable comment opened, and runs the statement to the end', () => {
      const [statement] = splitSql("SELECT 1;\nSELECT 'abc;\n", 'postgres').slice(1);
      assert.equal(statement.text, "SELECT 'abc;\n");
      assert.deepEqual(statement.unterminated, { what: 'quote', at: { line: 2, column: 8, offset: 17 } });
      assert.equal(splitSql('DO $x$ BEGIN', 'postgres')[0].unterminated?.what, 'dollar-quote');
      assert.equal(splitSql('/*! SET a = 1', 'mysql')[0].unterminated?.what, 'comment');
    });

    it('leaves an unterminated plain comment after a statement out of it', () => {
      const [statement] = splitSql('SELECT 1 /* never closed;', 'postgres');
      assert.equal(statement.text, 'SELECT 1');
      assert.equal(statement.unterminated, undefined);
    });
  });

  describe('streaming', () => {
    const script = [
      'DELIMITER //',
      "CREATE PROCEDURE p() BEGIN SELECT 'a;b'; END//",
      'DELIMITER ;',
      "SELECT E'x\\';y', $q$ ; $q$, /* c /* d; */ e */ `f;g` -- h;",
      ';SELECT 2 # i;',
    ].join('\n');

    for (const dialect of ['mysql', 'postgres', 'generic'] as SqlDialect[]) {
      it(`${dialect}: gives the same statements and positions for every chunk size`, () => {
        const whole = splitSql(script, dialect);
        for (const size of [1, 2, 3, 7, 64]) {
          const splitter = new SqlSplitter(dialect);
          const streamed = [];
          for (let i = 0; i < script.length; i += size) streamed.push(...splitter.push(script.slice(i, i + size)));
          streamed.push(...splitter.end());
          assert.deepEqual(streamed, whole, `chunk size ${size}`);
        }
      });
    }

    it('splits a byte stream, decoding UTF-8 split across chunks', async () => {
      const bytes = Buffer.from("SELECT 'héllo; wörld';\nSELECT '✓';", 'utf8');
      const chunks = [...bytes].map((byte) => Buffer.from([byte]));
      const statements = [];
      for await (const statement of splitSqlStream(Readable.from(chunks), 'postgres')) statements.push(statement.text);
      assert.deepEqual(statements, ["SELECT 'héllo; wörld'", "SELECT '✓'"]);
    });
  });
});
