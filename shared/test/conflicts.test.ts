import { describe, expect, it } from 'vitest';
import { conflictChecker, hasConflict, normalizeSchool } from '../src/conflicts.js';
import { splitListCell } from '../src/schemas/judge.js';

const judge = { school: '北京市第一中学', conflictSchools: ['海淀实验小学', 'No.2 Middle School'], conflictEntryCodes: ['BB-017'] };

describe('hasConflict', () => {
  it('always conflicts with the own school', () => {
    expect(hasConflict(judge, { code: 'BB-001', school: '北京市第一中学' })).toBe(true);
    expect(hasConflict({ school: '北京市第一中学', conflictSchools: [], conflictEntryCodes: [] }, { code: 'X', school: '北京市第一中学' })).toBe(true);
  });

  it('conflicts with declared schools and declared entry codes', () => {
    expect(hasConflict(judge, { code: 'BB-002', school: '海淀实验小学' })).toBe(true);
    expect(hasConflict(judge, { code: 'BB-017', school: '朝阳区第三中学' })).toBe(true);
  });

  it('does not conflict with other schools and codes', () => {
    expect(hasConflict(judge, { code: 'BB-003', school: '朝阳区第三中学' })).toBe(false);
    expect(hasConflict(judge, { code: 'BB-0171', school: '北京市第一中学分校' })).toBe(false);
  });

  it('compares school names after trimming and full-width/half-width (NFKC) normalisation', () => {
    expect(hasConflict(judge, { code: 'A', school: '  北京市第一中学 ' })).toBe(true);
    expect(hasConflict(judge, { code: 'A', school: 'Ｎｏ．２ Ｍｉｄｄｌｅ Ｓｃｈｏｏｌ' })).toBe(true);
    expect(hasConflict({ school: '第１中学（东校区）' }, { code: 'A', school: '第1中学(东校区)' })).toBe(true);
    expect(hasConflict({ school: '北京市 第一中学' }, { code: 'A', school: '北京市第一中学' })).toBe(true);
    expect(hasConflict({ school: 'no.2 middle school' }, { code: 'A', school: 'No.2 Middle School' })).toBe(true);
  });

  it('compares entry codes trimmed, NFKC and case-insensitively', () => {
    expect(hasConflict(judge, { code: 'bb-017', school: 'x' })).toBe(true);
    expect(hasConflict(judge, { code: 'ＢＢ－０１７', school: 'x' })).toBe(true);
  });

  it('never matches on missing or blank schools', () => {
    expect(hasConflict({ school: null, conflictSchools: [], conflictEntryCodes: [] }, { code: 'A', school: '' })).toBe(false);
    expect(hasConflict({ school: '   ', conflictSchools: [' '], conflictEntryCodes: [] }, { code: 'A', school: '  ' })).toBe(false);
    expect(hasConflict({}, { code: 'A', school: null })).toBe(false);
    expect(hasConflict({ school: '' }, { code: '', school: '' })).toBe(false);
  });

  it('gives the same answers through the precomputed checker', () => {
    const check = conflictChecker(judge);
    const entries = [
      { code: 'BB-001', school: '北京市第一中学' },
      { code: 'BB-017', school: '别的学校' },
      { code: 'BB-003', school: '别的学校' },
    ];
    expect(entries.map(check)).toEqual(entries.map((e) => hasConflict(judge, e)));
    expect(entries.map(check)).toEqual([true, true, false]);
  });
});

describe('normalizeSchool', () => {
  it('folds width, whitespace and case', () => {
    expect(normalizeSchool(' Ａ校　一 ')).toBe('a校一');
    expect(normalizeSchool(null)).toBe('');
  });
});

describe('splitListCell', () => {
  it('splits on ; and , (also full-width and 、) and drops blanks', () => {
    expect(splitListCell('甲校; 乙校,丙校；丁校，戊校、己校;;')).toEqual(['甲校', '乙校', '丙校', '丁校', '戊校', '己校']);
    expect(splitListCell('   ')).toEqual([]);
  });
});
