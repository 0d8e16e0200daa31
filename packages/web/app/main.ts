import '../src/components/mc-message-center.js';
