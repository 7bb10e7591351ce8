// Message catalogs. Every UI string lives here; `t(key)` looks it up in the active language.
const en = {
  appName: 'Accord',
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline — changes kept locally',
  readOnly: 'Read-only',
  readOnlyDenied: 'You can read this statement but not change it.',
  toolbar: 'Formatting',
  bold: 'Bold',
  italic: 'Italic',
  link: 'Link',
  linkPrompt: 'Link address (leave empty to remove the link)',
  paragraph: 'Paragraph',
  heading1: 'Heading 1',
  heading2: 'Heading 2',
  heading3: 'Heading 3',
  bulletList: 'Bulleted list',
  orderedList: 'Numbered list',
  blockquote: 'Block quote',
  undo: 'Undo',
  redo: 'Redo',
  importText: 'Import text or Markdown',
  importHelp: 'Paste a statement in plain text or Markdown. It replaces nothing: it is added at the end.',
  importDo: 'Import',
  cancel: 'Cancel',
  whoIsHere: 'Who is here',
  you: 'you',
  yourName: 'Your name',
  yourOrg: 'Your organization',
  continue: 'Continue',
  identityTitle: 'Who are you?',
  openTitle: 'Open a statement',
  docName: 'Statement name',
  token: 'Access token',
  open: 'Open',
  language: 'Language',
  editorLabel: 'Statement text',
  signIn: 'Sign in',
  signInTitle: 'Sign in to Accord',
  signInFailed: 'The e-mail address or the password is wrong.',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  email: 'E-mail address',
  password: 'Password',
  newPassword: 'New password',
  repeatPassword: 'Repeat the password',
  passwordRule: 'At least 12 characters; a phrase of several words is easy to remember.',
  passwordsDiffer: 'The two passwords differ.',
  setPassword: 'Set the password and sign in',
  inviteTitle: 'Join Accord',
  inviteFor: 'You are invited for',
  resetTitle: 'Choose a new password',
  linkProblem: 'This link does not work',
  somethingWrong: 'Something went wrong; please try again.',
  statements: 'Statements',
  noStatements: 'No statement yet.'
}
export type MessageKey = keyof typeof en
export type Catalog = Record<MessageKey, string>

const es: Catalog = {
  appName: 'Accord',
  saved: 'Guardado',
  saving: 'Guardando…',
  offline: 'Sin conexión — los cambios se guardan en este dispositivo',
  readOnly: 'Solo lectura',
  readOnlyDenied: 'Puede leer esta declaración pero no modificarla.',
  toolbar: 'Formato',
  bold: 'Negrita',
  italic: 'Cursiva',
  link: 'Enlace',
  linkPrompt: 'Dirección del enlace (vacía para quitar el enlace)',
  paragraph: 'Párrafo',
  heading1: 'Título 1',
  heading2: 'Título 2',
  heading3: 'Título 3',
  bulletList: 'Lista con viñetas',
  orderedList: 'Lista numerada',
  blockquote: 'Cita',
  undo: 'Deshacer',
  redo: 'Rehacer',
  importText: 'Importar texto o Markdown',
  importHelp: 'Pegue una declaración en texto plano o Markdown. No reemplaza nada: se añade al final.',
  importDo: 'Importar',
  cancel: 'Cancelar',
  whoIsHere: 'Quién está aquí',
  you: 'usted',
  yourName: 'Su nombre',
  yourOrg: 'Su organización',
  continue: 'Continuar',
  identityTitle: '¿Quién es usted?',
  openTitle: 'Abrir una declaración',
  docName: 'Nombre de la declaración',
  token: 'Clave de acceso',
  open: 'Abrir',
  language: 'Idioma',
  editorLabel: 'Texto de la declaración',
  signIn: 'Iniciar sesión',
  signInTitle: 'Iniciar sesión en Accord',
  signInFailed: 'La dirección de correo o la contraseña no son correctas.',
  signOut: 'Cerrar sesión',
  signedInAs: 'Sesión iniciada como',
  email: 'Correo electrónico',
  password: 'Contraseña',
  newPassword: 'Nueva contraseña',
  repeatPassword: 'Repita la contraseña',
  passwordRule: 'Al menos 12 caracteres; una frase de varias palabras es fácil de recordar.',
  passwordsDiffer: 'Las dos contraseñas no coinciden.',
  setPassword: 'Guardar la contraseña y entrar',
  inviteTitle: 'Únase a Accord',
  inviteFor: 'Está invitado por',
  resetTitle: 'Elija una nueva contraseña',
  linkProblem: 'Este enlace no funciona',
  somethingWrong: 'Algo salió mal; inténtelo de nuevo.',
  statements: 'Declaraciones',
  noStatements: 'Todavía no hay ninguna declaración.'
}

export const catalogs: Record<string, Catalog> = { en, es }
export const languages = Object.keys(catalogs)

/** Picks a supported language: stored preference first, then the browser's list, then English. */
export function chooseLanguage (stored: string | null | undefined, browser: readonly string[]): string {
  if (stored && catalogs[stored]) return stored
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0]
    if (catalogs[base]) return base
  }
  return 'en'
}

let active: Catalog = en
export function setLanguage (lang: string): void { active = catalogs[lang] ?? en }
export function t (key: MessageKey): string { return active[key] }
