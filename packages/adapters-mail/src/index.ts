// The public API of @message-center/adapters-mail: the core's Mailer over SMTP, or on standard output.
export { ConsoleMailer } from './console-mailer.js';
export { escapeHtml, type RenderedMail, renderMail, resetLink } from './render.js';
export { MailDeliveryFailed, SmtpMailer, type SmtpMailerOptions } from './smtp-mailer.js';
