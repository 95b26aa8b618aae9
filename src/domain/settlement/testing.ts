import { FHIR_SYSTEMS } from './fhir-systems.ts';

/**
 * A valid R4 Claim of an inpatient stay with three fee lines, for tests (the lead's POST /fhir/Claim
 * test can reuse it). The ID number is a made-up one with a valid check character.
 */
export function exampleFhirClaim() {
  return {
    resourceType: 'Claim',
    contained: [
      {
        resourceType: 'Patient',
        id: 'worker',
        identifier: [{ system: FHIR_SYSTEMS.socialSecurityNumber, value: '11010519491231002X' }],
      },
    ],
    identifier: [
      { system: FHIR_SYSTEMS.messageSerial, value: 'H330100-20250304-0001' },
      { system: FHIR_SYSTEMS.hisVisitNo, value: 'ZY2025030001' },
    ],
    status: 'active',
    type: { coding: [{ system: FHIR_SYSTEMS.hl7ClaimType, code: 'institutional' }] },
    subType: { coding: [{ system: FHIR_SYSTEMS.visitKind, code: 'inpatient', display: '住院' }] },
    use: 'claim',
    patient: { reference: '#worker' },
    billablePeriod: { start: '2025-03-01', end: '2025-03-04' },
    created: '2025-03-04T10:00:00+08:00',
    provider: {
      identifier: { system: 'urn:tongchou:fhir:identifier:institution', value: 'H330100' },
    },
    priority: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }],
    },
    related: [{ reference: { system: FHIR_SYSTEMS.caseId, value: 'C-330100-2025-0001' } }],
    diagnosis: [
      {
        sequence: 1,
        diagnosisCodeableConcept: { coding: [{ system: FHIR_SYSTEMS.icd10, code: 'S62.3' }] },
      },
    ],
    insurance: [{ sequence: 1, focal: true, coverage: { display: '工伤保险' } }],
    item: [
      item(1, 'YP0001', '布洛芬缓释胶囊', '2025-03-01', 1.5, 12.34, 18.51),
      item(2, 'ZL0002', '清创缝合术', '2025-03-01', 1, 350, 350),
      item(3, 'CW0003', '普通病房床位费', '2025-03-02', 3, 45.5, 136.5),
    ],
    total: { value: 505.01, currency: 'CNY' },
  };
}

function item(
  sequence: number,
  code: string,
  display: string,
  servicedDate: string,
  quantity: number,
  unitPrice: number,
  net: number,
) {
  return {
    sequence,
    productOrService: { coding: [{ system: FHIR_SYSTEMS.institutionItem, code, display }] },
    servicedDate,
    quantity: { value: quantity },
    unitPrice: { value: unitPrice, currency: 'CNY' },
    net: { value: net, currency: 'CNY' },
  };
}
