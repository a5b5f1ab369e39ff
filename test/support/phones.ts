/** The phone numbers the adapter tests share: one Swiss mobile number, in every spelling a backend uses. */

/** A number in the normalized form every adapter returns. */
export function normalizedPhone(
  e164: string,
  countryCallingCode: string,
  nationalNumber: string,
  country: string,
) {
  return { e164, countryCallingCode, nationalNumber, country };
}

/** The Swiss number most adapter tests bind, in E.164. */
export const SWISS_PHONE = '+41791234567';
/** Its digits without the plus. */
export const SWISS_DIGITS = '41791234567';
/** Its national significant number. */
export const SWISS_NATIONAL = '791234567';
/** Its normalized form. */
export const SWISS_PHONE_NUMBER = normalizedPhone(SWISS_PHONE, '41', SWISS_NATIONAL, 'CH');
/** Another Swiss number: never the stored one unless a test puts it there. */
export const OTHER_SWISS_PHONE = '+41781112233';
