// zod/mini keeps bundles small (the full zod would be most of the extension's code), but ships without
// messages; the English ones are worth their few kilobytes in configuration errors and store reports.
// Every schema imports zod from here, so the messages are configured before any parse.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * as z from 'zod/mini';
