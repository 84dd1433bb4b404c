export const fr = {
  skipToContent: 'Contenu',
  skipToMenu: 'Menu',
  skipToFooter: 'Pied de page',
  serviceTagline: 'Votre espace santé personnel',
  homeLinkTitle: 'Accueil — Carnet',
  brandTop: 'RÉPUBLIQUE\nFRANÇAISE',
  switchLanguage: 'English',
  switchLanguageLang: 'en',
  sections: {
    documents: 'Documents',
    profile: 'Profil médical',
    messages: 'Messagerie',
    agenda: 'Agenda',
    catalogue: 'Catalogue',
    settings: 'Paramètres',
  },
  sectionIntro: {
    documents: 'Vos comptes rendus, ordonnances, résultats d’analyses et d’imagerie, déposés par vos soignants ou par vous.',
    profile: 'Vos allergies, antécédents, traitements, mesures et vaccinations.',
    messages: 'Les messages sécurisés échangés avec vos professionnels de santé.',
    agenda: 'Vos rendez-vous, examens et rappels de vaccination et de dépistage.',
    catalogue: 'Les services et applications de santé référencés que vous pouvez connecter à votre espace.',
    settings: 'Qui peut voir quoi, vos proches, vos notifications et votre compte.',
  },
  sectionInProgress: 'Cette rubrique est en cours de construction : elle sera disponible dans une prochaine version de Carnet.',
  home: {
    title: 'Bienvenue sur Carnet',
    lead:
      'Carnet est votre espace santé personnel et sécurisé : vos documents médicaux, votre profil médical, ' +
      'votre messagerie avec vos soignants, votre agenda santé et un catalogue d’applications de santé, réunis au même endroit.',
    control: 'C’est vous qui décidez qui voit quoi : chaque accès à vos données est contrôlé et enregistré dans votre historique.',
    sectionsTitle: 'Votre espace',
  },
  notFound: {
    title: 'Page non trouvée',
    body: 'La page que vous cherchez n’existe pas ou a été déplacée.',
    back: 'Retour à l’accueil',
  },
  footer: {
    license: 'Le code source de Carnet est publié sous licence MIT.',
    description:
      'Carnet est un espace santé personnel open source. Il échange avec les logiciels des professionnels de santé ' +
      'selon les standards FHIR R4, IHE MHD, SMART on FHIR, OpenID Connect et SMTP.',
  },
};

/** The shape every translation must have: a missing or extra key is a type error. */
export type Messages = typeof fr;
