// 調査依頼の検索と、似た過去の回答（依頼のスレッドと依頼者への返信）。
export const investigationSearch: Record<string, string> = {
  'investigation.similar.thread': '似た調査依頼の過去の回答です。これで答えられるかもしれません:',
  'investigation.similar.filer':
    '*この過去の回答で、もう答えられるかもしれません。* お客さまへの回答の前に確かめてください:',
  'investigation.similar.item': '*{id}* {question}\n回答: {answer}',
};
