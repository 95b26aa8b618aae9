import { z } from 'zod';

export const cityResponse = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  insuredEmployers: z.number().int(),
  insuredWorkers: z.number().int(),
});

export const regionsResponse = z.object({
  province: z.object({ code: z.string(), name: z.string(), nameEn: z.string() }),
  cities: z.array(cityResponse),
});

export const regionShowParams = z.strictObject({ regionCode: z.string().regex(/^\d{6}$/) });
