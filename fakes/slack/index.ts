export * from './web-api.js';
export * from './socket-mode.js';
export * from './sign.js';
export { MANIFEST_BOT_SCOPES, SLACK_DEFAULTS, type FakeSlackOptions, type FakeUser, type FakeChannel, type StoredMessage } from './state.js';
export { LIMITS, validateBlocks, validateView } from './blocks.js';
