// Every slash command toban answers. Each must also be declared in manifest.yml.
import type { SlashCommand } from '../src/core/command.ts';
import { oncall } from './oncall.ts';
import { sales } from './sales.ts';
import { ledger } from './ledger.ts';

export const commands: SlashCommand[] = [oncall, sales, ledger];
