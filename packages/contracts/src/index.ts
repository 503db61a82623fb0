export * from './channels.js';
export * from './messages.js';
export * from './flows.js';
export * from './content.js';
export * from './workspace.js';
export * from './inbox.js';
export * from './realtime.js';
export * from './privacy.js';
