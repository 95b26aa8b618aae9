import { citizenIdCheckCharacter, creditCodeCheckCharacter } from '../../kernel/ids.ts';

/** A valid 18-character ID number for a demo person (check character by GB 11643). */
export function demoIdNumber(districtPrefix: string, birth: string, sequence: number): string {
  const first17 = `${districtPrefix}${birth.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

/** GB 11714 check character of an 8-character organisation-code body. */
function organisationCheck(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body[i] ?? '0', 36) * (weights[i] ?? 0);
  const c = 11 - (sum % 11);
  return c === 11 ? '0' : c === 10 ? 'X' : String(c);
}

/**
 * A valid 统一社会信用代码 for a demo employer: 9 (工商) 1 (企业), the city code, an organisation
 * code MA + 6 digits with its GB 11714 check, and the GB 32100 check character. The demo
 * employer user's scope code (provinces/zhejiang-demo.yaml) is demoCreditCode('330100', 1).
 */
export function demoCreditCode(cityCode: string, sequence: number): string {
  const body = `MA${String(sequence).padStart(6, '0')}`;
  const first17 = `91${cityCode}${body}${organisationCheck(body)}`;
  return `${first17}${creditCodeCheckCharacter(first17) ?? '0'}`;
}
