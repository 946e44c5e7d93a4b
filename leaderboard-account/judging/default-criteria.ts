import type { Criterion } from '../../shared/contracts/judge-criteria.js';

/** The League's default rubric, used when no judge-criteria file is given. */
export const DEFAULT_CRITERIA: readonly Criterion[] = [
  {
    name: 'accuracy',
    weight: 0.4,
    guidance: [
      'Are the facts, figures and reasoning correct?',
      'Does it agree with the reference answer where the reference is right?',
    ],
  },
  {
    name: 'coherence',
    weight: 0.3,
    guidance: ['Is it well organised and easy to follow?', 'Is it free of contradictions and filler?'],
  },
  {
    name: 'relevance',
    weight: 0.3,
    guidance: ['Does it answer the question that was asked, all of it?', 'Does it stay on topic?'],
  },
];
