/** English stop words plus words that carry no topic in web and code corpora; the keyword namer never uses them. */
export const englishStopWords: readonly string[] = `
a about above across after afterwards again against all almost alone along already also although always am among
amongst an and another any anyhow anyone anything anyway anywhere are aren around as at back be became because become
becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot could
couldn did didn do does doesn doing don done down due during each eg either else elsewhere enough especially etc even
ever every everyone everything everywhere except few first for former formerly from further get gets getting give given
go goes going got had hadn has hasn have haven having he hence her here hereby herein hers herself him himself his how
however i ie if in indeed instead into is isn it its itself just keep last latter least less let like likely ll made
make makes many may me meanwhile might mine more moreover most mostly much must my myself namely neither never
nevertheless next no nobody none noone nor not nothing now nowhere of off often on once one only onto or other others
otherwise our ours ourselves out over own per perhaps please put quite rather re really regarding said same say says see
seem seemed seeming seems several she should shouldn show since so some somehow someone something sometime sometimes
somewhere still such take than that the their theirs them themselves then thence there thereafter thereby therefore
therein thereupon these they thing things this those though through throughout thru thus to together too toward towards
two under unless until up upon us use used uses using ve very via was wasn way we well were weren what whatever when
whence whenever where whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever
whole whom whose why will with within without won would wouldn yet you your yours yourself yourselves
also always among new old many much one two three four five six seven eight nine ten first second third
http https www com org net html htm amp nbsp quot
`
  .split(/\s+/)
  .filter((word) => word.length > 0);
