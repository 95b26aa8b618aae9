import type { MaterialResponse } from '../../../contract/cases/materials-contract.ts';
import { type Language, type MessageKey, translate } from '../../i18n/dictionary.ts';
import {
  type BenefitMessageKey,
  benefitText,
  dependantText,
} from '../benefits/benefit-messages.ts';

/** The checklist items' labels (《工伤保险条例》第十八条); anything else reads as "other". */
export function itemKey(code: string): MessageKey {
  switch (code) {
    case 'application_form':
      return 'materials.item.application_form';
    case 'labour_relation_proof':
      return 'materials.item.labour_relation_proof';
    case 'medical_diagnosis':
      return 'materials.item.medical_diagnosis';
    case 'occupational_disease_diagnosis':
      return 'materials.item.occupational_disease_diagnosis';
    case 'death_certificate':
      return 'materials.item.death_certificate';
    default:
      return 'materials.item.other';
  }
}

/**
 * The survivors' papers in the words of 《河南省工伤保险条例》第三十四条第二款 (the dependants panel's
 * own labels, so the two panels name a paper alike).
 */
const PAPER_KEYS: Record<string, BenefitMessageKey> = {
  dependant_household_identity: 'paper.dependant_household_identity',
  dependant_no_income: 'paper.dependant_no_income',
  dependant_orphan_or_sole_elder: 'paper.dependant_orphan_or_sole_elder',
  dependant_adoption: 'paper.dependant_adoption',
};

/** A material's item in words; a survivor's paper also says whose it is. */
export function materialItemText(
  language: Language,
  material: Pick<MaterialResponse, 'itemCode' | 'dependant'>,
): string {
  const paper = PAPER_KEYS[material.itemCode];
  if (paper === undefined) return translate(language, itemKey(material.itemCode));
  const label = benefitText(language, paper);
  return material.dependant === null
    ? label
    : `${label} · ${dependantText(language, material.dependant)}`;
}
