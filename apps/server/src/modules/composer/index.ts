export { agentPurposes, composerState, sendRefusal, serviceWindow } from './composer.policy.js';
export { type ComposerService, createComposerService } from './composer.service.js';
export { composerRoutes } from './composer.routes.js';
export { type ContactPanelService, createContactPanelService } from './contact-panel.service.js';
export { createReplyService, type ReplyService } from './reply.service.js';
