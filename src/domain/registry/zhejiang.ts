/**
 * The demo province: Zhejiang and its 11 prefecture-level cities with their GB/T 2260 codes. The
 * district prefix is used to mint demo ID numbers that look like each city's.
 */
export type CityDefinition = { code: string; name: string; nameEn: string; districtPrefix: string };

export const demoProvince = { code: '330000', name: '浙江省', nameEn: 'Zhejiang' } as const;

export const zhejiangCities: readonly CityDefinition[] = [
  { code: '330100', name: '杭州市', nameEn: 'Hangzhou', districtPrefix: '330102' },
  { code: '330200', name: '宁波市', nameEn: 'Ningbo', districtPrefix: '330203' },
  { code: '330300', name: '温州市', nameEn: 'Wenzhou', districtPrefix: '330302' },
  { code: '330400', name: '嘉兴市', nameEn: 'Jiaxing', districtPrefix: '330402' },
  { code: '330500', name: '湖州市', nameEn: 'Huzhou', districtPrefix: '330502' },
  { code: '330600', name: '绍兴市', nameEn: 'Shaoxing', districtPrefix: '330602' },
  { code: '330700', name: '金华市', nameEn: 'Jinhua', districtPrefix: '330702' },
  { code: '330800', name: '衢州市', nameEn: 'Quzhou', districtPrefix: '330802' },
  { code: '330900', name: '舟山市', nameEn: 'Zhoushan', districtPrefix: '330902' },
  { code: '331000', name: '台州市', nameEn: 'Taizhou', districtPrefix: '331002' },
  { code: '331100', name: '丽水市', nameEn: 'Lishui', districtPrefix: '331102' },
];
