// Every public entry point resolves under `moduleResolution: nodenext` and its
// declarations type-check with `skipLibCheck: false`. (`@message-center/core/testing`
// is left out: it needs the optional peer `vitest`.)
import type * as adaptersHttp from '@message-center/adapters-http';
import type * as adaptersMail from '@message-center/adapters-mail';
import type * as adaptersMysql from '@message-center/adapters-mysql';
import type * as adaptersRedis from '@message-center/adapters-redis';
import type * as adaptersWs from '@message-center/adapters-ws';
import type * as core from '@message-center/core';
import type * as crypto from '@message-center/core/crypto';
import type * as memory from '@message-center/core/memory';
import type * as wire from '@message-center/core/wire';
import type * as server from '@message-center/server';
import type * as web from '@message-center/web';
import type * as webClient from '@message-center/web/client';
import type * as webComponents from '@message-center/web/components';

export type EntryPoints = [
  typeof adaptersHttp,
  typeof adaptersMail,
  typeof adaptersMysql,
  typeof adaptersRedis,
  typeof adaptersWs,
  typeof core,
  typeof crypto,
  typeof memory,
  typeof server,
  typeof wire,
  typeof web,
  typeof webClient,
  typeof webComponents,
];
