export type { ConversationSelectDetail, SendDetail, SignedInDetail, UserSelectDetail } from './events.js';
export { McComposer } from './mc-composer.js';
export { McConnectionStatus } from './mc-connection-status.js';
export { McConversation } from './mc-conversation.js';
export { McInbox } from './mc-inbox.js';
export { McLogin } from './mc-login.js';
export { McMessageCenter } from './mc-message-center.js';
export { McUserList } from './mc-user-list.js';
