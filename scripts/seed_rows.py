"""Source of training_data/seeds.csv: the seed articles' statements, labeled by hand.

Each entry: (seed file, text, speaker, {issue: stance}, note). Texts are the
statements as the normalizer leaves them (canonical names, quirks repaired).
Run: python scripts/seed_rows.py  (rewrites training_data/seeds.csv)
"""
import csv
from pathlib import Path

C, H, N = "conciliatory", "hardline", "neutral"
S0, S1, S2, S3, S4 = (
    "000_10e0ce11e0bf0173.txt", "001_861cad5652bda56b.txt", "002_952c61f4b2ea9697.txt",
    "003_9f87ac57c7159c05.txt", "004_eb5021f3d5d7de40.txt",
)
ROWS = [
 (S0, "Moscow and Kyiv say there is progress in peace talks, although difficulties remain", "Moscow and Kyiv", {"talks": C}, "headline reports progress"),
 (S0, "However, both sides also stressed that the negotiations were difficult, and disagreements remained over what neutrality or security guarantees would look like for Ukraine.", "both sides", {"talks": N, "neutrality": N, "security_guarantees": N}, "pessimism without blame"),
 (S0, "Lavrov, in an interview with the Russian television channel RBC, said that he bases his assessment on the opinion of Russian negotiators.", "Sergei Lavrov", {"talks": N}, ""),
 (S0, "“They say that the negotiations are not easy for obvious reasons, but nevertheless there is some hope of reaching a compromise,” Lavrov said.", "Sergei Lavrov", {"talks": C}, ""),
 (S0, "Mykhailo Podolyak, Zelensky’s adviser and Ukraine’s lead peace negotiator with Russia, expressed optimism for an early ceasefire and indicated Ukraine’s readiness for a peace deal in a PBS interview broadcast on Tuesday.", "Mykhailo Podolyak", {"ceasefire": C, "talks": C}, ""),
 (S0, "Podolyak said that at the beginning Russia spoke of ultimatums, and that since then its position has “significantly softened”.", "Mykhailo Podolyak", {"talks": C}, "reports softening"),
 (S0, "According to him, initially Russia planned to lead its troops through Ukraine and seize as much territory as possible in the style of a blitzkrieg.", "Mykhailo Podolyak", {"territory": N}, "military description"),
 (S0, "But, according to Podolyak, this did not happen, and Russian troops were stuck in their current positions, “with no chance of moving further into Ukrainian territory.”", "Mykhailo Podolyak", {"territory": N}, "battlefield assessment, no position on a settlement"),
 (S0, "“Therefore, we are very confident that we will have a ceasefire in the coming days,” he said.", "Mykhailo Podolyak", {"ceasefire": C}, ""),
 (S0, "The negotiators are preparing for a meeting between Zelensky and Putin, where they will sign documents.", None, {"talks": C}, "reports progress toward signing"),
 (S0, "“Obviously, this will happen soon, because this is the only way to end this war,” Podolyak said.", "Mykhailo Podolyak", {"talks": C}, ""),
 (S0, "Meanwhile, in his video message, Zelensky said: “Meetings are ongoing and I have been informed that the positions during the negotiations already sound more realistic… But it still takes time for decisions to be in Ukraine’s interests.”", "Volodymyr Zelensky", {"talks": C}, ""),
 (S0, "“Everyone should work… for negotiations with the Russian Federation,” he said, adding that the eyes of the whole world are riveted on Ukraine.", "Volodymyr Zelensky", {"talks": C}, ""),
 (S0, "“It’s difficult, but important, because any war ends with an agreement.”", "Volodymyr Zelensky", {"talks": C}, ""),
 (S0, "The head of the Russian delegation, Vladimir Medinsky, said that Ukraine, during the talks, proposed a model similar to that of Austria or Sweden, acting as a “neutral demilitarized state, but a government with its own army and navy.”", "Vladimir Medinsky", {"neutrality": C, "demilitarization": C}, "reports Ukraine's offer"),
 (S0, "“The preservation and development of the neutral status of Ukraine, the demilitarization of Ukraine – a whole range of issues related to the size of the Ukrainian army is being discussed,” Medinsky said, according to the Russian state news service RIA Novosti.", "Vladimir Medinsky", {"neutrality": N, "demilitarization": N, "talks": N}, "agenda description"),
 (S0, "Mykhailo Podolyak, adviser to Zelensky, said that although there were “words about the Swedish or Austrian model of neutrality… Ukraine is now in a state of direct war with the Russian Federation. Therefore, the model can only be Ukrainian and only about legally verified security guarantees.”", "Mykhailo Podolyak", {"neutrality": H, "security_guarantees": H}, "rejects the model; guarantees as a gate"),
 (S0, "Ukraine needs security guarantees that would mean that the signatories of any deal would have to “actively participate on the side of Ukraine” in any future conflict and provide support and weapons, he said.", "Mykhailo Podolyak", {"security_guarantees": N}, "guarantee design"),
 (S0, "He also launched a call for a no-fly zone, which is still rejected by NATO.", "Mykhailo Podolyak", {"military_aid": H}, "demands a no-fly zone"),
 (S0, "“That’s why today Ukraine wants to have a powerful pool of allies with well-defined security guarantees.”", "Mykhailo Podolyak", {"security_guarantees": N}, ""),
 (S0, "A day earlier, the tone from Moscow was less optimistic: President Vladimir Putin said the talks had stalled and were far from a breakthrough.", "Vladimir Putin", {"talks": N}, "pessimism without blame"),
 (S0, "On Tuesday, he told the leader of the European Council that Kyiv “does not show a serious commitment to finding mutually acceptable solutions.”", "Vladimir Putin", {"talks": H}, "blame"),
 (S0, "A major point of contention for Russia has been Ukraine’s longstanding desire to join the NATO military alliance, which is one of the arguments used by Moscow to justify its invasion.", None, {"nato_membership": N}, "background"),
 (S0, "Since Russia’s annexation of Crimea in 2014, Ukraine has made joining NATO a priority.", None, {"nato_membership": N, "territory": N}, "background"),
 (S0, "However, on Tuesday Zelensky offered a softer stance on NATO membership.", "Volodymyr Zelensky", {"nato_membership": C}, ""),
 (S0, "“It is clear that Ukraine is not a member of NATO. We understand this,” Zelensky said during an address to the leaders of 10 countries in the North Atlantic, led by Britain, a group known as the Joint Expeditionary Force.", "Volodymyr Zelensky", {"nato_membership": C}, ""),
 (S0, "“For years we have heard about the seemingly open door, but have also heard that we will not enter there, and this is true and must be acknowledged.”", "Volodymyr Zelensky", {"nato_membership": C}, ""),
 (S0, "British Prime Minister Boris Johnson said on Wednesday, journalists reported that he spoke with Zelensky, who understood the “reality of the position” regarding joining the alliance.", "Boris Johnson", {"nato_membership": C}, ""),
 (S0, "Johnson said the UK ruled out any prospect of Ukraine joining the 30-member group “in the near future”.", "Boris Johnson", {"nato_membership": N}, "not now, maybe later"),
 (S0, "“Everyone has always said – and we made it clear to Putin – there is no way Ukraine is going to join NATO anytime soon,” Johnson said.", "Boris Johnson", {"nato_membership": N}, "not now, maybe later"),
 (S0, "Meanwhile, NATO defense ministers met in Brussels on Wednesday to discuss ways to help Ukraine and deter Russian aggression without becoming involved in a wider conflict.", None, {"military_aid": N}, ""),
 (S0, "Its members also sent tons of ammunition and weapons to Ukraine.", None, {"military_aid": N}, ""),
 (S0, "Secretary of State Antony Blinken said Tuesday the United States is working to limit death and destruction until peace is achieved.", "Antony Blinken", {"humanitarian": N}, ""),
 (S0, "The UN Human Rights Office said on Tuesday that 691 civilian deaths have been recorded since the start of the Russian invasion, of which at least 48 are children.", "UN Human Rights Office", {"humanitarian": N}, ""),
 (S0, "It stipulates that the figures are incomplete and the actual losses are likely to be much higher.", "UN Human Rights Office", {"humanitarian": N}, ""),
 (S0, "The White House is set to announce Wednesday an additional $800 million in security assistance, a senior administration official said, as part of a public spending bill that President Biden signed into law to give Ukraine $13.6 billion in new aid.", "White House official", {"military_aid": N}, ""),
 (S0, "Previous U.S. aid included supply of anti-aircraft and anti-tank systems.", None, {"military_aid": N}, ""),
 (S1, "Ukrainian, Russian Negotiators Say Significant ‘Progress’ Made in Ceasefire Talks", "negotiators", {"talks": C, "ceasefire": C}, "headline"),
 (S1, "Russian and Ukrainian negotiators on Sunday said that there has been progress in talks to potentially end the more than two-week-long conflict, with results coming in days.", "negotiators", {"talks": C}, ""),
 (S1, "“To clarify. At the negotiations, the [Russian Federation]” is not making “ultimatums” but is instead “carefully” listening to Ukraine’s proposals, said Mykhailo Podolyak, an adviser to Ukrainian President Volodymyr Zelensky on Twitter.", "Mykhailo Podolyak", {"talks": C}, ""),
 (S1, "The Kyiv government, he added, is continuing to demand to “end of the war and the withdrawal of [Russian] troops,” noting there is “understanding” and “a dialogue” with Russia.", "Mykhailo Podolyak", {"ceasefire": N, "talks": C}, "demand with room to move (dialogue), not a gate"),
 (S1, "“I think that we will achieve some results literally in a matter of days,” he said, according to comments he delivered in an accompanying Twitter video.", "Mykhailo Podolyak", {"talks": C}, ""),
 (S1, "On Russia’s side, Leonid Slutsky, a member of the delegation and head of the State Duma Committee on International Affairs, was quoted by state-run RIA Novosti as saying that “significant progress” has been made after Sunday’s talks.", "Leonid Slutsky", {"talks": C}, ""),
 (S1, "“According to my personal expectations, this progress may grow in the coming days into a joint position of both delegations, into documents for signing,” Slutsky said, according to a translation.", "Leonid Slutsky", {"talks": C}, ""),
 (S1, "A potential agreement between the parties might “save many people” and reduce tensions in the near future, he continued.", "Leonid Slutsky", {"talks": C}, ""),
 (S1, "Neither Russia nor Ukraine indicated what the scope of the agreement could be.", None, {"talks": N}, ""),
 (S1, "Three previous rounds of negotiations produced few results.", None, {"talks": N}, ""),
 (S1, "Last week, Ukraine and Russia agreed to establish humanitarian and evacuation corridors for civilians in several areas, although both sides accused one another of firing on people.", None, {"humanitarian": C}, "agreement reached"),
 (S1, "U.S. Deputy Secretary of State Wendy Sherman said on Sunday that Moscow was showing signs of willingness to carry out more significant talks to end the conflict.", "Wendy Sherman", {"talks": C}, ""),
 (S1, "Sanctions and other forms of economic pressure are “beginning to have some effect. We are seeing some signs to have real, serious negotiations,” Sherman told Fox News.", "Wendy Sherman", {"sanctions": N, "talks": C}, "effect of sanctions described"),
 (S1, "Objectives of the talks include a bid “to get a ceasefire in the first instance, to get humanitarian [corridors], and to end this invasion,” she continued.", "Wendy Sherman", {"ceasefire": C, "humanitarian": C, "talks": N}, ""),
 (S1, "On Friday, Russian President Vladimir Putin told state media that there were “positive shifts” in the talks, but he did not elaborate.", "Vladimir Putin", {"talks": C}, ""),
 (S1, "A day later, President Joe Biden sent a memorandum to the State Department authorizing that $200 million in weapons and military training be provided to Ukraine’s forces.", "Joe Biden", {"military_aid": N}, ""),
 (S1, "Pentagon spokesman John Kirby confirmed that the Department of Defense is working to send additional military equipment and weapons.", "John Kirby", {"military_aid": N}, ""),
 (S2, "The government of Russia considers that there has been no progress in the negotiations with Ukraine, after a meeting between the delegations of the two countries in Istanbul, Turkey, although there is an understanding that there are “positive” points in the talks.", "Russian government", {"talks": N}, "balanced"),
 (S2, "“We cannot see progress. We expect a very long work”, he said this Wednesday Kremlin spokesman Dmitry Peskov, in a press conference.", "Dmitry Peskov", {"talks": N}, "pessimism without blame"),
 (S2, "According to the government representative, among the elements considered positive, it can be highlighted that the Ukrainian mission began to “formulate and put on paper” its proposals.", "Dmitry Peskov", {"talks": C}, "acknowledges a step forward"),
 (S2, "“Until now, we haven’t achieved that,” the spokesperson explained.", "Dmitry Peskov", {"talks": N}, ""),
 (S2, "The head of the Russian delegation, Vladimir Medinsky, spoke yesterday for the first time about the possibility of a treaty between Moscow and Kyiv, after negotiations he described as “constructive”.", "Vladimir Medinsky", {"talks": C}, ""),
 (S2, "Russian President Vladimir Putin himself acknowledged on Tuesday that there had been “progress” in the talks in Istanbul, during a phone call with French President Emmanuel Macron.", "Vladimir Putin", {"talks": C}, ""),
 (S2, "At the same time, the Russian leader remained adamant about his desire to continue the military offensive in Ukraine.", "Vladimir Putin", {"ceasefire": H}, ""),
 (S2, "“After today’s substantive conversation, we agreed and proposed an agreement, according to which the meeting between the heads of state (Putin and Ukrainian President Volodymyr Zelensky) is possible to take place simultaneously with the start of a treaty,” said Medinsky.", "Vladimir Medinsky", {"talks": C}, ""),
 (S2, "Russia’s chief negotiator explained that the Ukrainian proposals include Kyiv’s resignation from the intention of joining NATO and the Ukrainian commitment to permanent neutrality, being a country without nuclear weapons or weapons of mass destruction or foreign troops.", "Vladimir Medinsky", {"nato_membership": C, "neutrality": C}, "reports Ukraine's offer"),
 (S2, "In addition, Kyiv would give up trying to recover, by military means, the Crimean peninsula and the port of Sevastopol, just as the claim to the territories of Donetsk and Luhansk would not be part of the security guarantees.", "Vladimir Medinsky", {"territory": C, "security_guarantees": N}, ""),
 (S2, "In return, Medinsky said, Ukraine demands international security guarantees and assumes that Russia will not oppose entry into the European Union.", "Vladimir Medinsky", {"security_guarantees": N}, "reciprocal part of a package"),
 (S3, "With Putin's ground forces stalled, Ukraine says Russia's positions in talks \"sound more realistic\"", "Ukraine", {"talks": C}, "headline"),
 (S3, "Russian forces brutally attack civilians in Ukraine", None, {"humanitarian": N}, ""),
 (S3, "As President Volodymyr Zelensky appealed directly to American lawmakers on Wednesday to impose a no-fly zone over his country to stop Russia's devastating airstrikes, Russian artillery continued pummeling Ukraine's capital Kyiv and other cities.", "Volodymyr Zelensky", {"military_aid": H}, "demands a no-fly zone"),
 (S3, "Zelensky knows the U.S. and its NATO allies are extremely reluctant to take any step that could escalate the war, and they have already made it clear a no-fly zone is unlikely.", "U.S. and NATO allies", {"military_aid": C}, "no-fly zone refused for escalation risk"),
 (S3, "Even without cover from above, however, Ukrainian forces have managed to stall Russian ground troops' advance on Kyiv and other major cities, and rhetoric coming from both Kyiv and Moscow appears to suggest that some progress could finally be made after multiple rounds of tense, direct negotiations.", None, {"talks": C}, ""),
 (S3, "Russian Foreign Minister Sergei Lavrov said Wednesday that a neutral military status for Ukraine was being \"seriously discussed\" in the talks between Ukrainian and Russian delegations, which he described as \"business-like.\"", "Sergei Lavrov", {"neutrality": C, "talks": C}, ""),
 (S3, "\"Meetings continue,\" Zelensky said before addressing the U.S. Congress.", "Volodymyr Zelensky", {"talks": N}, ""),
 (S3, "He stressed that the talks still needed more time, but said, \"as I am told, the [Russian] positions in the negotiations sound more realistic.\"", "Volodymyr Zelensky", {"talks": C}, ""),
 (S3, "Zelensky indicated days ago that his nation was willing to consider adopting a neutral status, and he told a group of European allies on Tuesday that his country had to accept that the door to NATO membership — something his government has long sought and Russia has long refused to accept — was \"closed.\"", "Volodymyr Zelensky", {"neutrality": C, "nato_membership": C}, ""),
 (S3, "Mykhailo Podolyak, a senior aide to Zelensky who's taken part in the multiple rounds of direct negotiations with Russian officials, said Wednesday on Twitter that a \"model of security guarantees is on the negotiating table.\"", "Mykhailo Podolyak", {"security_guarantees": N, "talks": N}, ""),
 (S3, "\"What does this mean? A rigid agreement with a number of guarantor states undertaking clear legal obligations to actively prevent attacks,\" he said.", "Mykhailo Podolyak", {"security_guarantees": N}, "guarantee design"),
 (S3, "Lavrov, Russia's longtime foreign minister and a stalwart of the Putin regime, said Wednesday there were \"no obstacles\" to a hypothetical meeting between Putin and Zelensky, with \"the understanding that it would not be just for its own sake; it would have to seal concrete agreements which are currently being worked out by the two delegations.\"", "Sergei Lavrov", {"talks": C}, "no obstacles; soft condition"),
 (S3, "He said those meetings were continuing Wednesday via remote video link.", "Sergei Lavrov", {"talks": N}, ""),
 (S3, "It remained unclear how far Zelensky's government might be willing to go to meet Russia's other demands, including Putin's insistence that Ukraine formally recognize the eastern regions of Luhansk and Donetsk as independent, and the annexed Crimean Peninsula as Russian territory.", "Vladimir Putin", {"territory": H}, "current demand reported"),
 (S3, "Putin has continued insisting publicly that his military will achieve the goal he set of the \"demilitarization\" of Ukraine, but there has been no mention amid the negotiations of Ukrainian forces laying down their weapons.", "Vladimir Putin", {"demilitarization": H}, ""),
 (S3, "\"I can propose to lay down the arms only [of the] military of the Russian Federation, and propose that they go back home,\" he said.", "Volodymyr Zelensky", {"demilitarization": H}, ""),
 (S3, "\"We are already at home. We defend our land, our children, our families, so we are not going to lay down any arms. Until we win.\"", "Volodymyr Zelensky", {"demilitarization": H}, ""),
 (S3, "That fight continues amid the push for a diplomatic resolution.", None, {"talks": N}, ""),
 (S3, "Peace talks resume as Russia continues assault on Ukraine cities", None, {"talks": N}, "subhead"),
 (S3, "Ukrainian officials said Wednesday that Russian shelling had killed at least 500 residents and destroyed 600 buildings there since the start of the war, with schools, nurseries, hospitals and homes all flattened.", "Ukrainian officials", {"humanitarian": N}, ""),
 (S3, "Despite the brutal attacks from the sky, Ukraine's defense forces continue defying the odds, bogging down the enemy — and possibly increasing their political leaders' leverage at the negotiating table with Russia.", None, {"talks": N}, ""),
 (S4, "Ukraine and Russia are preparing for the first face-to-face peace talks in more than two weeks, which are due to take place in Turkey from Tuesday, but there is no expectation of a major breakthrough, Ukrainian officials said.", "Ukrainian officials", {"talks": N}, ""),
 (S4, "The fact that the next round of talks will take place in person, however, for the first time since a tense meeting between the two countries’ foreign ministers on March 10, signals a change in tone as Russia has struggled to move forward and gain territory.", None, {"talks": C}, "signals a change in tone"),
 (S4, "When the two sides last saw each other, Ukraine accused Russian Foreign Minister Sergei Lavrov of ignoring the country’s calls to discuss a ceasefire, and Lavrov claimed that stopping the fighting was not even on the agenda.", "Sergei Lavrov", {"ceasefire": H}, ""),
 (S4, "Since then, they have only met via video call.", None, {"talks": N}, ""),
 (S4, "Both Moscow and Kyiv say progress is being made on proposals for Ukraine to accept some sort of formal neutral status without joining NATO, for example, but they do not seem close to reaching agreement on Russia’s territorial demands, including Crimea, annexed by the Russians in 2014, and territories to the east, in the Donbas region, which Moscow is demanding that Kyiv cede to separatists.", "Moscow and Kyiv", {"neutrality": C, "nato_membership": C, "territory": H, "talks": N}, "mixed"),
 (S4, "“I don’t think there will be any progress on the main issues,” the adviser to the Ukrainian Interior Ministry, Vadym Denysenko, said on Monday.", "Vadym Denysenko", {"talks": N}, "pessimism without blame"),
 (S4, "In a video speech addressed to the Ukrainian population released on Sunday night, he said he would prioritize the country’s territorial integrity in the negotiations in Istanbul.", "Volodymyr Zelensky", {"territory": H}, "firm line on territorial integrity"),
 (S4, "But in comments made to Russian journalists earlier in the day, he took a different tone, saying Ukraine was willing to discuss the status of the breakaway regions, repeating that any deal must be put to a referendum.", "Volodymyr Zelensky", {"territory": C}, ""),
 (S4, "“Security guarantees and neutrality, non-nuclear status of our state. We are ready for that,” he added, speaking in Russian.", "Volodymyr Zelensky", {"neutrality": C, "security_guarantees": C}, ""),
 (S4, "A senior Turkish official said talks in Istanbul would start on Monday, but the Kremlin later said talks should start by Tuesday, adding that it was important that they take place in person.", "Kremlin", {"talks": N}, ""),
 (S4, "Russia keeps up the pressure in southeastern Ukraine, close to the breakaway areas, with the siege of the port city of Mariupol, where there are still tens of thousands of civilians who cannot get out.", None, {"humanitarian": N}, ""),
 (S4, "The city’s mayor, Vadym Boichenko, said 160,000 civilians were trapped there, without heat and power.", "Vadym Boichenko", {"humanitarian": N}, ""),
 (S4, "Twenty-six buses are waiting to take them out, but Russian forces have not agreed to give them safe passage, he said.", "Vadym Boichenko", {"humanitarian": H}, "reports refusal of safe passage"),
 (S4, "“The situation in the city remains difficult. People are beyond the line of humanitarian catastrophe,” Boichenko said on TV.", "Vadym Boichenko", {"humanitarian": N}, ""),
 (S4, "“We need to completely evacuate Mariupol.”", "Vadym Boichenko", {"humanitarian": N}, "appeal, not a gate"),
 (S4, "After more than four weeks of conflict, Russia has failed to take any major Ukrainian cities and signaled on Friday that it was reducing its ambitions to focus on protecting the Donbas region.", "Russia", {"territory": C}, "scaled-back aims"),
 (S4, "A leader of the self-proclaimed Luhansk People’s Republic said on Sunday that the region was soon to hold a referendum on accession to Russia, just as Crimea did after the Russians seized the peninsula in 2014.", "Luhansk separatist leader", {"territory": H}, ""),
 (S4, "A spokesman for the Ukrainian Ministry of Foreign Affairs, however, ruled out the possibility of any referendum in eastern Ukraine.", "Oleh Nikolenko", {"territory": H}, ""),
 (S4, "“All false referendums in the temporarily occupied territories are null and void,” said Oleh Nikolenko.", "Oleh Nikolenko", {"territory": H}, ""),
 (S4, "The Russian invasion devastated several Ukrainian cities, caused a major humanitarian crisis and displaced around 10 million people, nearly a quarter of Ukraine’s population.", None, {"humanitarian": N}, ""),
 (S4, "The UN has confirmed 1,119 civilian deaths and 1,790 injuries across Ukraine, but says the real number is likely to be higher.", "UN", {"humanitarian": N}, ""),
 (S4, "Ukraine said on Sunday that 139 children had been killed and more than 205 injured so far in the conflict.", "Ukraine", {"humanitarian": N}, ""),
]

DATES = {S0: "2022-03-16", S1: "2022-03-13", S2: "2022-03-30", S3: "2022-03-16", S4: "2022-03-28"}
LANGS = {S0: "en", S1: "en", S2: "pt", S3: "en", S4: "pt"}


def main() -> None:
    out = Path(__file__).resolve().parent.parent / "training_data" / "seeds.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "issue", "stance", "speaker", "source", "lang", "date", "note"])
        n = 0
        for i, (seed, text, speaker, labels, note) in enumerate(ROWS):
            for issue, stance in labels.items():
                w.writerow([text, issue, stance, speaker or "reporter", f"seed:{seed}", LANGS[seed], DATES[seed], note])
                n += 1
    print(f"{out}: {n} rows from {len(ROWS)} statements")


if __name__ == "__main__":
    main()
