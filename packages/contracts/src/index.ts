export * from './channels.js';
export * from './messages.js';
