import { fromDayNumber, type IsoDate, toDayNumber } from '../../../kernel/dates.ts';
import {
  citizenIdCheckCharacter,
  creditCodeCheckCharacter,
  organisationCodeCheckCharacter,
} from '../../../kernel/ids.ts';

/**
 * Identifiers and names of the synthetic province, each a pure function of (seed, index), so any
 * record can be rebuilt on its own without holding the others: that is what lets the generator
 * stream tens of millions of rows. Uniqueness comes from bijections, not from remembering what was
 * drawn.
 */

/** MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers with good avalanche. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of (seed, stream, index): the seed of one record's own random source. */
export function hash32(seed: number, stream: number, index: number): number {
  return mix32((mix32((mix32(seed) ^ Math.imul(stream, 0x9e3779b1)) >>> 0) + index) >>> 0);
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * The 16 hex digits of a generated record id: 8 from the seed (top bit set, so they never equal the
 * hand-made demo ids, whose hex starts with zeros) and 8 from a bijection of the index (unique for
 * up to 2^32 records of a kind).
 */
export function syntheticHex16(seed: number, stream: number, index: number): string {
  const prefix = (hash32(seed, stream, 0x7fffffff) | 0x80000000) >>> 0;
  return `${hex8(prefix)}${hex8(mix32((index ^ hash32(seed, stream, 1)) >>> 0))}`;
}

const USCC_DIGITS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function base31(n: number, width: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < width; i++) {
    out = `${USCC_DIGITS[rest % 31]}${out}`;
    rest = Math.floor(rest / 31);
  }
  return out;
}

/** Employers a province may have under one organisation-code series (31^6 ≈ 887 million). */
export const SERIAL_MAX = 31 ** 6;

/**
 * Where a seed's employers start in the series: serials are (index + offset) mod SERIAL_MAX, so
 * two generated provinces in one database (the demo's and one loaded later) rarely share a code.
 */
export function serialOffsetOf(seed: number): number {
  return hash32(seed, 12, 0) % SERIAL_MAX;
}

/**
 * A valid 统一社会信用代码 (GB 32100: 9 工商, 1 企业 or 2 for a public body's 事业单位 series, the
 * city's code, a GB 11714 organisation code and the check character). `series` keeps generated
 * codes apart from the demo's hand-made ones (MA…) and from the codes of no registered employer
 * (MY…) that the tax bureau's files carry as errors.
 */
export function syntheticCreditCode(
  cityCode: string,
  series: 'MB' | 'MY',
  serial: number,
  publicBody = false,
): string {
  const body = `${series}${base31(serial % SERIAL_MAX, 6)}`;
  const first17 = `${publicBody ? '12' : '91'}${cityCode}${body}${organisationCodeCheckCharacter(body)}`;
  return `${first17}${creditCodeCheckCharacter(first17) ?? '0'}`;
}

/**
 * The birth dates and sequence numbers a worker's number can take: `days` birth dates times 1 000
 * 顺序码. A worker's index is mapped through an affine bijection of that space (so neighbours get
 * unrelated birth dates and sexes), and every further block of the space uses the next district
 * code of the city (06, 07, …), so numbers stay unique province-wide at any size.
 */
export type IdSpace = {
  firstBirthDay: number;
  days: number;
  size: number;
  multiplier: number;
  /** Where the seed's workers start in the space, so two seeds' provinces rarely share a number. */
  offset: number;
};

export function idSpaceOf(firstBirthDate: IsoDate, lastBirthDate: IsoDate, seed: number): IdSpace {
  const firstBirthDay = toDayNumber(firstBirthDate);
  const days = toDayNumber(lastBirthDate) - firstBirthDay + 1;
  const size = days * 1000;
  const multiplier = [1_000_003, 999_983, 1_000_033, 1_000_037].find((p) => size % p !== 0) ?? 1;
  return { firstBirthDay, days, size, multiplier, offset: hash32(seed, 11, 0) % size };
}

/** The worker's 公民身份号码 (GB 11643: district, birth date, 顺序码, MOD 11-2 check character). */
export function syntheticIdNumber(space: IdSpace, cityCode: string, worker: number): string {
  const shifted = worker + space.offset;
  const block = Math.floor(shifted / space.size);
  const t = ((shifted % space.size) * space.multiplier + 7) % space.size;
  const birth = fromDayNumber(space.firstBirthDay + (t % space.days)).replaceAll('-', '');
  const sequence = String(Math.floor(t / space.days)).padStart(3, '0');
  const district = String(6 + block).padStart(2, '0');
  const first17 = `${cityCode.slice(0, 4)}${district}${birth}${sequence}`;
  return `${first17}${citizenIdCheckCharacter(first17)}`;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯俊帆雪琳晨欣怡佳慧婷梓涵子轩一诺雨泽思博瑶嘉宁志国海波云峰';
const TRADE =
  '华信恒达宏远鑫源金泰瑞丰永盛中天成万嘉德润新东方长城海宝通百合众兴隆国安正大利昌鸿运祥和晶科迪锦程美联创越启明宇航绿洲蓝图';

function pick(text: string, rand: () => number): string {
  return text[Math.floor(rand() * text.length)] ?? text[0]!;
}

/** A person's name: a common surname and one or two given-name characters. */
export function syntheticPersonName(rand: () => number): string {
  const given = rand() < 0.7 ? `${pick(GIVEN, rand)}${pick(GIVEN, rand)}` : pick(GIVEN, rand);
  return `${pick(SURNAMES, rand)}${given}`;
}

/** Two characters of a trade name (字号), about 4 000 combinations, so name prefixes spread. */
export function syntheticTradeName(rand: () => number): string {
  return `${pick(TRADE, rand)}${pick(TRADE, rand)}`;
}
