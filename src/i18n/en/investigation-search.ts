// Searching investigations, and the similar past answers (in the request's thread and to the filer).
export const investigationSearch: Record<string, string> = {
  'investigation.similar.thread': 'Past answers to similar requests; one may already answer this:',
  'investigation.similar.filer':
    '*These past answers may already answer it.* Check them before you answer the customer:',
  'investigation.similar.item': '*{id}* {question}\nAnswer: {answer}',
};
