// slack.file: a file shared into a channel, or into a user's DM when `channel` is a user id (ledger
// and sales exports are confidential and must not land in the channel the command came from).
// Exactly once: Slack's upload is three calls (get an upload URL, send the bytes, complete the
// upload into the channel); only the last is visible. The file's id is made durable before the
// last call, and a try after an unknown outcome asks files.info whether that file is already
// shared in the channel before completing it again. An upload repeated before its id was saved
// leaves an unshared file nobody sees.
import { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { TransientError } from '../deliverer.ts';
import { slackId } from './common.ts';
import { defineKind } from './kind.ts';

export const slackFile = defineKind({
  kind: 'slack.file',
  guarantee: 'exactly-once',
  duplicateRule:
    "the uploaded file's id is saved before it is shared; after an unknown outcome files.info says whether it already is",
  calls: 3, // files.getUploadURLExternal + the upload + files.completeUploadExternal
  payload: z.object({
    channel: slackId,
    user: slackId.optional(),
    filename: z.string().min(1),
    title: z.string(),
    content: z.string(),
    encoding: z.enum(['utf8', 'base64']).optional(),
    initialComment: z.string().optional(),
  }),
  refs: () => ({}),
  async slack(row, p, slack, ctx) {
    const channel = /^[UW]/.test(p.channel) ? await slack.imChannel(p.channel) : p.channel;
    let fileId = typeof row.progress?.fileId === 'string' ? row.progress.fileId : undefined;
    if (fileId && row.attempts > 1) {
      const id = fileId;
      const info = await slack.call('files.info', undefined, () => slack.client.files.info({ file: id }));
      const f = info.file as { channels?: string[]; groups?: string[]; ims?: string[] } | undefined;
      const where = [...(f?.channels ?? []), ...(f?.groups ?? []), ...(f?.ims ?? [])];
      if (where.includes(channel)) return { result: { channel, files: [id] } };
    }
    await slack.pace(row, channel);
    if (!fileId) {
      const bytes = Buffer.from(p.content, p.encoding === 'base64' ? 'base64' : 'utf8');
      const up = await slack.call('files.getUploadURLExternal', undefined, () =>
        slack.client.files.getUploadURLExternal({ filename: p.filename, length: bytes.length }),
      );
      if (!up.upload_url || !up.file_id)
        throw new TransientError('slack files.getUploadURLExternal: answer without an upload URL');
      const sent = await slack.postTo(up.upload_url, { bytes }, 'slack file upload');
      if (sent.status !== 200) throw new TransientError(`slack file upload: HTTP ${sent.status}`);
      fileId = up.file_id;
      await ctx.saveProgress({ fileId });
    }
    const id = fileId;
    await slack.call('files.completeUploadExternal', channel, () =>
      slack.client.files.completeUploadExternal({
        files: [{ id, title: p.title }],
        channel_id: channel,
        ...(p.initialComment ? { initial_comment: p.initialComment } : {}),
      }),
    );
    return { result: { channel, files: [id] } };
  },
  async console(_row, p, out) {
    const where = out.saveFile(p.filename, p.content, p.encoding ?? 'utf8');
    out.show({ text: t(out.locale, 'console.file', { name: p.filename, path: where }) }, '');
    return { result: { path: where } };
  },
});
