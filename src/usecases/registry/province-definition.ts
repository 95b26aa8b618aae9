import { z } from 'zod';
import { roleScopes, roles } from '../../identity/roles.ts';
import { CITIES_PER_PROVINCE_MAX, isProvinceCode } from '../../kernel/region-codes.ts';

/**
 * A province definition: what `tongchou init --province FILE` creates a deployment's province from
 * (one deployment per province). The demo province is one such file with two demo-only additions
 * (`demoProvinceSchema`). The administrator's password is never in the file: the CLI reads it from
 * standard input or a password file.
 */

const name = z.string().trim().min(1).max(100);
const username = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,63}$/,
    '3–64 characters: lower-case letters, digits, ".", "_", "-"',
  );

/** The roles that can hold a province scope; the first administrator is one of them. */
const provinceRoles = roles.filter((r) => roleScopes[r].includes('province'));

const cityFields = {
  code: z.string().regex(/^\d{4}00$/, 'a 6-digit city code ending in 00 (GB/T 2260)'),
  name,
  nameEn: name,
};

function definitionFields<C extends z.ZodType>(city: C) {
  return {
    code: z.string().refine(isProvinceCode, 'a 6-digit province code ending in 0000 (GB/T 2260)'),
    name,
    nameEn: name,
    /** Checked against the dated parameter `pooling.mode` of the rule files, which stays the law's home. */
    poolingMode: z.enum(['adjustment_fund', 'unified']),
    cities: z.array(city).min(1).max(CITIES_PER_PROVINCE_MAX),
    administrator: z.strictObject({
      username,
      displayName: name,
      role: z.enum(provinceRoles, {
        error: `a role that can hold the province scope: ${provinceRoles.join(', ')}`,
      }),
    }),
  };
}

/** Cities must belong to the province and appear once each; reported per city, all at once. */
function checkCities(
  def: { code: string; cities: readonly { code: string }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  def.cities.forEach((c, i) => {
    if (isProvinceCode(c.code) || c.code.slice(0, 2) !== def.code.slice(0, 2))
      ctx.addIssue({
        code: 'custom',
        path: ['cities', i, 'code'],
        message: `${c.code} is not a city of province ${def.code}`,
      });
    if (seen.has(c.code))
      ctx.addIssue({ code: 'custom', path: ['cities', i, 'code'], message: `${c.code} twice` });
    seen.add(c.code);
  });
}

export const provinceDefinitionSchema = z
  .strictObject(definitionFields(z.strictObject(cityFields)))
  .superRefine(checkCities);
export type ProvinceDefinition = z.output<typeof provinceDefinitionSchema>;

const demoUser = z.strictObject({
  username,
  displayName: name,
  role: z.enum(roles),
  scopeKind: z.enum(['province', 'city', 'institution', 'employer', 'self']),
  scopeCode: z.string().min(1).max(64).nullable(),
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit region code'),
});

/**
 * The demo province: a province definition whose cities also carry the district prefix the demo
 * mints its fictitious ID numbers with, plus the demo users (one per role) that share the published
 * demo password. Only the seed reads this shape; `init` refuses both additions as unknown fields.
 */
export const demoProvinceSchema = z
  .strictObject({
    ...definitionFields(
      z.strictObject({ ...cityFields, demoIdPrefix: z.string().regex(/^\d{6}$/) }),
    ),
    demoUsers: z.array(demoUser).max(100),
  })
  .superRefine(checkCities);
export type DemoProvince = z.output<typeof demoProvinceSchema>;
