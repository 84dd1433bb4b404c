import type { OutgoingMail } from '../mail/mailer.ts';

/**
 * The mail login sends. French first, then English. Nothing in them is health data, and nothing
 * in them would help someone who reads them over the person's shoulder later: codes expire, links
 * are single use.
 */
export function loginCodeMail(to: string, code: string, validMinutes: number): OutgoingMail {
  return {
    to,
    subject: `Carnet : votre code de connexion / your login code`,
    text:
      `Votre code de connexion à Carnet : ${code}\n\n` +
      `Il est valable ${validMinutes} minutes et ne sert qu’une fois. Si vous n’essayez pas de vous connecter, ` +
      `quelqu’un connaît votre mot de passe : changez-le.\n\n` +
      `---\n\n` +
      `Your Carnet login code: ${code}\n\n` +
      `It is valid for ${validMinutes} minutes and works once. If you are not logging in, someone knows ` +
      `your password: change it.\n`,
  };
}

export function passwordResetMail(to: string, link: string, validMinutes: number): OutgoingMail {
  return {
    to,
    subject: `Carnet : réinitialiser votre mot de passe / reset your password`,
    text:
      `Pour choisir un nouveau mot de passe Carnet, ouvrez ce lien dans les ${validMinutes} minutes :\n\n${link}\n\n` +
      `Il ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n\n` +
      `---\n\n` +
      `To choose a new Carnet password, open this link within ${validMinutes} minutes:\n\n${link}\n\n` +
      `It works once. If you did not ask for it, ignore this message: your password stays the same.\n`,
  };
}
