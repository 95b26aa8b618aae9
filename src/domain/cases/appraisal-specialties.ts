/**
 * The specialties a committee's pool is kept by (第二十五条第一款 "相关专家": the panel comes from the
 * specialty of the injury). A closed list, so a draw never misses experts filed under a variant
 * spelling; labels in zh-CN and en for the web.
 */
export const SPECIALTIES = [
  'orthopaedics',
  'neurosurgery',
  'neurology',
  'general_surgery',
  'thoracic_surgery',
  'plastic_surgery',
  'hand_surgery',
  'ophthalmology',
  'otolaryngology',
  'stomatology',
  'urology',
  'internal_medicine',
  'occupational_disease',
  'psychiatry',
  'rehabilitation',
] as const;
export type Specialty = (typeof SPECIALTIES)[number];

export const specialtyLabels: Record<Specialty, { zh: string; en: string }> = {
  orthopaedics: { zh: '骨科', en: 'Orthopaedics' },
  neurosurgery: { zh: '神经外科', en: 'Neurosurgery' },
  neurology: { zh: '神经内科', en: 'Neurology' },
  general_surgery: { zh: '普通外科', en: 'General surgery' },
  thoracic_surgery: { zh: '胸外科', en: 'Thoracic surgery' },
  plastic_surgery: { zh: '整形烧伤外科', en: 'Plastic and burns surgery' },
  hand_surgery: { zh: '手外科', en: 'Hand surgery' },
  ophthalmology: { zh: '眼科', en: 'Ophthalmology' },
  otolaryngology: { zh: '耳鼻咽喉科', en: 'Otolaryngology' },
  stomatology: { zh: '口腔科', en: 'Stomatology' },
  urology: { zh: '泌尿外科', en: 'Urology' },
  internal_medicine: { zh: '内科', en: 'Internal medicine' },
  occupational_disease: { zh: '职业病科', en: 'Occupational diseases' },
  psychiatry: { zh: '精神科', en: 'Psychiatry' },
  rehabilitation: { zh: '康复医学科', en: 'Rehabilitation medicine' },
};
