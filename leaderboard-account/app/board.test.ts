import { describe, expect, it } from 'vitest';
import { LeagueConfig } from '../../shared/config/league-config.js';
import { DEFAULT_CRITERIA } from '../judging/default-criteria.js';
import { boardSettings } from './board.js';
import { EMPTY_BOARD_STATE } from './records.js';

const base = {
  leaderboard: { account: '100000000000', region: 'us-east-1' },
  questionSetId: 'demo-v1',
  teams: [
    {
      teamId: 'otters',
      displayName: 'Otters',
      account: '200000000001',
      region: 'us-east-1',
      externalId: 'external-id-otters-0123456789',
      resultsBucket: 'otters-results',
    },
  ],
};

describe('boardSettings', () => {
  it('ranks a rubric league by the criteria the judge grades when the config names none', () => {
    const config = LeagueConfig.parse({ ...base, scoringMode: 'rubric', judge: { mode: 'rubric' } });
    const settings = boardSettings(config, EMPTY_BOARD_STATE);
    expect(settings.method).toBe('rubric');
    expect(settings.criteria).toEqual(DEFAULT_CRITERIA);
  });

  it('uses the league’s own criteria when it names them, and none for a win-rate league', () => {
    const criteria = [{ name: 'accuracy', weight: 1 }];
    const rubric = LeagueConfig.parse({
      ...base,
      scoringMode: 'rubric',
      judge: { mode: 'rubric' },
      criteria,
    });
    expect(boardSettings(rubric, EMPTY_BOARD_STATE).criteria).toEqual(criteria);
    expect(boardSettings(LeagueConfig.parse(base), EMPTY_BOARD_STATE).criteria).toBeUndefined();
  });
});
