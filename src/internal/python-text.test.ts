import { describe, expect, it } from 'vitest';
import { isPySpace, pyDigitLength, pyFloatOfDigits, pyStrip } from './python-text.js';

describe('Python str semantics', () => {
  it('strips exactly what Python strip() strips', () => {
    // Python: '\x1c\x1d\x1e\x1f\x85 a \u3000'.strip() == 'a'; '\ufeffa'.strip() == '\ufeffa'
    expect(pyStrip('\x1c\x1d\x1e\x1f\x85 a \u3000')).toBe('a');
    expect(pyStrip('\ufeffa')).toBe('\ufeffa');
    expect(pyStrip('  ')).toBe('');
    expect(pyStrip('a')).toBe('a');
  });

  it('classifies whitespace like str.isspace()', () => {
    const python = [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x85, 0xa0, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
    for (const code of python) expect(isPySpace(code), code.toString(16)).toBe(true);
    for (const code of [0, 8, 14, 27, 33, 0x200b, 0xfeff, 0x180e]) expect(isPySpace(code), code.toString(16)).toBe(false);
  });

  it('matches Unicode decimal digits like Python \\d and converts them like float()', () => {
    expect(pyDigitLength('٣', 0)).toBe(1); // ARABIC-INDIC DIGIT THREE
    expect(pyDigitLength('𝟓', 0)).toBe(2); // MATHEMATICAL BOLD DIGIT FIVE (astral)
    expect(pyDigitLength('²', 0)).toBe(0); // superscript two is No, not Nd
    expect(pyFloatOfDigits('١٢.٥')).toBe(12.5);
    expect(pyFloatOfDigits('𝟏𝟐')).toBe(12);
    expect(pyFloatOfDigits('𝟘𝟙')).toBe(1); // double-struck digits sit next to bold ones: values by run position
    expect(pyFloatOfDigits('5.')).toBe(5);
    expect(pyFloatOfDigits('9'.repeat(400))).toBe(Infinity);
  });
});
