export { createDoubleOptInService, toPhoneAddress } from './double-opt-in.service.js';
export { type ConsentCsv, parseConsentCsv } from './consent-csv.js';
