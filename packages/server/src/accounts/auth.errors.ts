import { CarnetError } from '../errors.ts';
import type { PasswordProblem } from './password-policy.ts';

/**
 * Errors of login, sessions and accounts. Messages tell the person what to do next and never
 * whether an account exists: unknown address and wrong password read the same (ASVS 5.0 6.3.8).
 */
export const notAuthenticated = () =>
  new CarnetError('not_authenticated', 401, 'You are not logged in, or your session has ended; log in again.');

export const secondFactorRequired = () =>
  new CarnetError(
    'second_factor_required',
    401,
    'Confirm your login with your second factor (authenticator app code or e-mailed code) first.',
  );

export const alreadyLoggedIn = () =>
  new CarnetError('already_logged_in', 409, 'This login is already confirmed; there is no code to enter.');

export const invalidCredentials = () =>
  new CarnetError('invalid_credentials', 401, 'The e-mail address or the password is wrong.');

export const tooManyAttempts = (retryAfterSeconds: number) => {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new CarnetError(
    'too_many_attempts',
    429,
    `Too many attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}, or reset your password by e-mail.`,
    // RFC 9110 §10.2.3
    { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } },
  );
};

export const invalidCode = () =>
  new CarnetError('invalid_code', 401, 'This code is wrong, expired or already used; enter the latest code.');

export const loginRestartNeeded = () =>
  new CarnetError('login_restart', 401, 'Too many wrong codes for this login; log in again with your password.');

export const noSuchSecondFactor = (method: string) =>
  new CarnetError('second_factor_unavailable', 400, `This account does not use ${method} as a second factor.`);

export const enrolmentNotAllowed = () =>
  new CarnetError(
    'enrolment_not_allowed',
    403,
    'This account already has a second factor; confirm your login with it. To replace it, contact support.',
  );

export const noPendingEnrolment = () =>
  new CarnetError('no_pending_enrolment', 400, 'Start the authenticator app set-up first, then enter its code.');

export const weakPassword = (problem: PasswordProblem, field = 'newPassword') =>
  new CarnetError(problem.code, 400, problem.message, { field });

export const resetLinkInvalid = () =>
  new CarnetError('reset_link_invalid', 400, 'This reset link is invalid, expired or already used; ask for a new one.');

export const wrongCurrentPassword = () =>
  new CarnetError('invalid_credentials', 401, 'Your current password is wrong.', { field: 'currentPassword' });

export const mailUnavailable = (cause: unknown) =>
  new CarnetError('mail_unavailable', 503, 'The code could not be e-mailed just now; try again in a minute.', { cause });

export const csrfTokenInvalid = () =>
  new CarnetError(
    'csrf_token_invalid',
    403,
    "This request lacks the session's anti-forgery token (x-csrf-token header); reload the page and try again.",
  );

export const crossOriginRefused = (origin: string, expected: string) =>
  new CarnetError(
    'cross_origin_refused',
    403,
    `Requests from ${origin} are refused; Carnet's address is ${expected} (CARNET_BASE_URL).`,
  );

export const sessionNotFound = () => new CarnetError('not_found', 404, 'You have no active session with this id.');
