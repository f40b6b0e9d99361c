// Every slash command toban answers. Each must also be declared in manifest.yml.
import type { CommandModal, Reply, SlashCommand } from '../src/core/command.ts';
import { oncall } from './oncall.ts';
import { sales } from './sales.ts';
import { ledger } from './ledger.ts';
import { investigate } from './investigate.ts';
import { alerts } from './alerts.ts';

export const commands: SlashCommand<Reply | CommandModal>[] = [oncall, sales, ledger, investigate, alerts];
