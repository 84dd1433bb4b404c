import type { Config } from '../config.ts';
import type { AccountKind } from '../accounts/account.table.ts';

export type ProviderId = 'patient' | 'pro';

/** An external OpenID Connect identity provider Carnet is a relying party of. */
export interface OidcProvider {
  id: ProviderId;
  /** The only kind of account its identities may log in to or be linked with. */
  accountKind: AccountKind;
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The `acr` the ID token must carry: anything else is refused. */
  acr: string;
  scope: string;
}

/** The providers configured: patients' (FranceConnect-style) and professionals' (Pro Santé Connect-style). */
export function configuredProviders(config: Config): OidcProvider[] {
  const providers: OidcProvider[] = [];
  if (config.oidcPatientIssuer && config.oidcPatientClientId && config.oidcPatientClientSecret) {
    providers.push({
      id: 'patient',
      accountKind: 'patient',
      issuer: config.oidcPatientIssuer,
      clientId: config.oidcPatientClientId,
      clientSecret: config.oidcPatientClientSecret,
      redirectUri: config.oidcPatientRedirectUri,
      acr: config.oidcPatientAcr,
      scope: config.oidcPatientScope,
    });
  }
  if (config.oidcProIssuer && config.oidcProClientId && config.oidcProClientSecret) {
    providers.push({
      id: 'pro',
      accountKind: 'professional',
      issuer: config.oidcProIssuer,
      clientId: config.oidcProClientId,
      clientSecret: config.oidcProClientSecret,
      redirectUri: config.oidcProRedirectUri,
      acr: config.oidcProAcr,
      scope: config.oidcProScope,
    });
  }
  return providers;
}
