#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx rollout-sim` works right after
// `npm install` with no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
