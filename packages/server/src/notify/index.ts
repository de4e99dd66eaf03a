export {
  globalSchema,
  receiverSchema,
  type GlobalConfig,
  type ReceiverConfig,
  type WebhookConfig,
  type SlackConfig,
  type PagerdutyConfig,
  type EmailConfig,
  type SmsConfig,
} from './config.ts';
export { Notifier, type NotifierConfig, type NotifierOptions } from './notifier.ts';
export { SIGNATURE_HEADER, signWebhookBody, verifyWebhookSignature, webhookPayload, type WebhookPayload } from './integrations/webhook.ts';
export { dedupKey } from './integrations/pagerduty.ts';
export { templateData, type TemplateData, type TemplateAlert } from './template-data.ts';
