import { describe, expect, it } from 'vitest';
import { errorName, mapCognitoError } from '../../adapters/cognito/errors.js';
import { cognito } from '../../adapters/cognito/index.js';
import { isPhoneBindingError, type Operation } from '../../src/index.js';
import { BASE, cognitoError, harness, useCognitoMsw } from './helpers.js';

useCognitoMsw();

const ROWS: Array<[string, string, Operation?, string?]> = [
  ['CodeMismatchException', 'invalid_code', 'verify'],
  ['ExpiredCodeException', 'code_expired', 'verify'],
  ['TooManyFailedAttemptsException', 'too_many_attempts'],
  ['TooManyRequestsException', 'rate_limited'],
  ['AliasExistsException', 'phone_in_use', 'bind'],
  ['AliasExistsException', 'phone_in_use', 'verify'],
  ['UserNotFoundException', 'not_found'],
  ['ResourceNotFoundException', 'provider_error'],
  ['ForbiddenException', 'forbidden'],
  ['UserNotConfirmedException', 'forbidden'],
  ['PasswordResetRequiredException', 'forbidden'],
  ['CodeDeliveryFailureException', 'provider_error'],
  ['InvalidSmsRoleAccessPolicyException', 'provider_error'],
  ['InvalidSmsRoleTrustRelationshipException', 'provider_error'],
  ['InvalidEmailRoleAccessPolicyException', 'provider_error'],
  ['InvalidLambdaResponseException', 'provider_error'],
  ['UnexpectedLambdaException', 'provider_error'],
  ['UserLambdaValidationException', 'provider_error'],
  ['OperationNotEnabledException', 'provider_error'],
  ['InternalErrorException', 'provider_error'],
  ['UnrecognizedClientException', 'unauthenticated'],
  ['InvalidSignatureException', 'unauthenticated'],
  ['SignatureDoesNotMatch', 'unauthenticated'],
  ['IncompleteSignature', 'unauthenticated'],
  ['MissingAuthenticationToken', 'unauthenticated'],
  ['ExpiredTokenException', 'unauthenticated'],
  ['RequestExpired', 'unauthenticated'],
  ['RequestTimeTooSkewed', 'unauthenticated'],
  ['AccessDeniedException', 'forbidden'],
  ['LimitExceededException', 'too_many_attempts', 'verify'],
  ['LimitExceededException', 'rate_limited', 'resend'],
  ['LimitExceededException', 'rate_limited', 'bind'],
  ['NotAuthorizedException', 'unauthenticated', 'get', 'Access Token has been revoked'],
  ['NotAuthorizedException', 'forbidden', 'bind', 'A client attempted to write unauthorized attribute'],
  ['InvalidParameterException', 'invalid_phone_number', 'bind', 'Invalid phone number format.'],
  ['InvalidParameterException', 'invalid_input', 'bind', '1 validation error detected'],
  ['SomethingNewException', 'provider_error'],
];

describe('Cognito error table', () => {
  it.each(ROWS)(
    '%s (%s on %s) by __type, whatever the status',
    (name, code, operation = 'get', message = 'm') => {
      for (const status of [400, 403, 404, 429, 500]) {
        const mapped = mapCognitoError({
          status,
          body: { __type: name, message },
          headers: new Headers({ 'x-amzn-requestid': 'c77c13f8-d6b9' }),
          operation,
        });
        expect(mapped).toMatchObject({ code, providerCode: name, requestId: 'c77c13f8-d6b9' });
        expect(mapped.message).toMatch(/^Cognito/);
      }
    },
  );

  it('reads the name as the SDK does: __type, code, x-amzn-errortype; cut at : or ,; after #', () => {
    expect(errorName({ __type: 'com.amazonaws#CodeMismatchException:http://x' }, undefined)).toBe(
      'CodeMismatchException',
    );
    expect(errorName({ code: 'ExpiredCodeException' }, undefined)).toBe('ExpiredCodeException');
    expect(errorName('', new Headers({ 'x-amzn-errortype': 'NotAuthorizedException:' }))).toBe(
      'NotAuthorizedException',
    );
    expect(errorName({}, undefined)).toBeUndefined();
  });

  it('request id fallbacks: x-amzn-request-id, x-amz-request-id; a body without a name falls back to the status', () => {
    expect(
      mapCognitoError({
        status: 400,
        body: { __type: 'X' },
        headers: new Headers({ 'x-amz-request-id': 'r2' }),
        operation: 'get',
      }).requestId,
    ).toBe('r2');
    expect(
      mapCognitoError({ status: 503, body: 'oops', headers: new Headers(), operation: 'get' }).code,
    ).toBe('provider_error');
  });

  it('end to end: code, providerCode, requestId, status passed through, message masks the number', async () => {
    const h = harness();
    const { accessToken } = h.api.createUser();
    const binding = cognito({ baseUrl: BASE, accessToken, fetch: h.fetch });
    h.canned.push({
      ...cognitoError(
        'AliasExistsException',
        'An account with the given phone_number +41791234567 already exists.',
        400,
        'req-77',
      ),
      target: 'UpdateUserAttributes',
    });
    try {
      await binding.bind({ phoneNumber: '+41 79 123 45 67' });
      throw new Error('expected a failure');
    } catch (error) {
      if (!isPhoneBindingError(error)) throw error;
      expect(error).toMatchObject({
        code: 'phone_in_use',
        providerCode: 'AliasExistsException',
        requestId: 'req-77',
        status: 400,
        operation: 'bind',
        provider: 'cognito',
      });
      const shown = `${error.message} ${JSON.stringify(error)}`;
      expect(shown).not.toContain('791234567');
      expect(shown).not.toContain(accessToken);
    }
  });

  it('decide 8: an InvalidParameter about the phone number is invalid_phone_number on bind only; on remove invalid_input', () => {
    const failure = (operation: 'bind' | 'remove') => ({
      status: 400,
      body: {
        __type: 'InvalidParameterException',
        message: 'Invalid phone number: phone_number is required.',
      },
      headers: new Headers(),
      operation,
    });
    expect(mapCognitoError(failure('bind')).code).toBe('invalid_phone_number');
    expect(mapCognitoError(failure('remove'))).toMatchObject({
      code: 'invalid_input',
      providerCode: 'InvalidParameterException',
    });
  });

  it('decide 6: LimitExceeded outside verify carries the hourly window as retryAfterMs; TooManyRequests does not', () => {
    const failure = (name: string) => ({
      status: 400,
      body: { __type: name, message: 'x' },
      headers: new Headers(),
      operation: 'resend' as const,
    });
    expect(mapCognitoError(failure('LimitExceededException'))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 3_600_000,
    });
    expect(mapCognitoError(failure('TooManyRequestsException')).retryAfterMs).toBeUndefined();
  });
});
