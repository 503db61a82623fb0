export { type TemplateContent, type TemplateSendCheck, type TemplateSendError, type TemplateSendErrorCode, summarizeTemplateErrors, validateTemplateSend } from './template-send.js';
export { type HeaderFormat, type TemplateEntry, TemplateFile, type TemplateStatus, type TemplateVariables, deriveVariables, toCreateRequest } from './templates.schemas.js';
export { type ChannelSyncSummary, checkTemplateMessage, createTemplateService, findTemplateCategory, type SyncOptions, type TemplateService, type TemplateView } from './templates.service.js';
export { type DesiredTemplate, type DesiredTemplatesOutcome, applyDesiredTemplates } from './templates.apply.js';
export { templateRoutes } from './templates.routes.js';
