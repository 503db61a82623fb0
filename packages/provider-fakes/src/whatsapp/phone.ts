/** Strips everything but ASCII digits. */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

// ITU country calling codes of one and two digits; every other code has three digits.
const ONE_DIGIT_CODES = new Set(['1', '7']);
const TWO_DIGIT_CODES = new Set([
  '20', '27', '30', '31', '32', '33', '34', '36', '39', '40', '41', '43', '44', '45', '46', '47', '48', '49',
  '51', '52', '53', '54', '55', '56', '57', '58', '60', '61', '62', '63', '64', '65', '66', '81', '82', '84',
  '86', '90', '91', '92', '93', '94', '95', '98',
]);

/** The country calling code a full international number (digits only) starts with. */
export function countryCallingCode(digits: string): string {
  if (ONE_DIGIT_CODES.has(digits.slice(0, 1))) {
    return digits.slice(0, 1);
  }
  if (TWO_DIGIT_CODES.has(digits.slice(0, 2))) {
    return digits.slice(0, 2);
  }
  return digits.slice(0, 3);
}

/**
 * Normalises a send's `to` into a wa_id (providers.md §2.1): strip non-digits; when the input had no
 * `+` and is too short to carry a country code (≤ 10 digits), prepend the business number's country
 * code as Meta does. The "too short" heuristic is our decision: §2.1 only says a missing country
 * code gets the business's prepended, and most clients send full numbers without `+`.
 */
export function normaliseRecipient(input: string, businessDigits: string): string {
  const digits = digitsOf(input);
  if (input.trim().startsWith('+') || digits.length > 10 || digits.length === 0) {
    return digits;
  }
  return countryCallingCode(businessDigits) + digits;
}
