export { buttonSubType, type TemplateContent, type TemplateSendCheck, type TemplateSendError, type TemplateSendErrorCode, summarizeTemplateErrors, validateTemplateSend } from './template-send.js';
export { type HeaderFormat, type TemplateEntry, TemplateFile, type TemplateStatus, type TemplateVariables, deriveVariables, saysHowToOptOut, toCreateRequest } from './templates.schemas.js';
export { type ChannelSyncSummary, checkTemplateMessage, createTemplateService, findTemplateCategory, type SyncOptions, type TemplateService, type TemplateView } from './templates.service.js';
export { applyTemplateStatus, findTemplate, listTemplates } from './templates.store.js';
export { renderTemplateText } from './template-text.js';
export { type DesiredTemplate, type DesiredTemplatesOutcome, applyDesiredTemplates } from './templates.apply.js';
export { templateRoutes } from './templates.routes.js';
export { createTemplateRefreshJobHandler, TEMPLATE_REFRESH_QUEUE, templateRefreshJob } from './templates.jobs.js';
