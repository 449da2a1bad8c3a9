"""The result page of each of the 16 types: a name and a short text, in Japanese and English.

Written for this project. Every text describes preferences (what a person tends to enjoy, notice
or weigh first), never abilities, and never fitness for a job or a role; `NOTE` says so on every
result page.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.domains.personality.poles import Lang


@dataclass(frozen=True, slots=True)
class Profile:
    type: str
    name_ja: str
    name_en: str
    summary_ja: str
    summary_en: str

    def name(self, lang: Lang) -> str:
        return self.name_ja if lang == "ja" else self.name_en

    def summary(self, lang: Lang) -> str:
        return self.summary_ja if lang == "ja" else self.summary_en


NOTE = {
    "ja": "この結果は、質問への答えから見た好みの傾向です。能力や人柄の良し悪し、仕事への向き不向きを"
    "示すものではなく、時期や場面によって変わることもあります。",
    "en": "This result shows tendencies of preference drawn from your answers. It does not measure ability, "
    "rank personalities, or say anything about suitability for any job, and it may change with time and "
    "circumstances.",
}

_PROFILES = (
    Profile(
        "ISTJ",
        "着実な記録者",
        "The Steady Keeper",
        "確かめられた事実と決めた手順を大切にし、引き受けたことを順序立てて最後まで進めることを好みます。"
        "変化よりも見通しの立つ状態に安心を覚え、静かに集中できる時間を必要とします。",
        "You prefer verified facts and agreed procedures, and like to carry what you have taken on through "
        "to the end, in order. Predictability reassures you more than change, and you value time to "
        "concentrate quietly.",
    ),
    Profile(
        "ISFJ",
        "細やかな支え手",
        "The Attentive Supporter",
        "身近な人の様子によく気づき、具体的な形で支えることに喜びを感じやすいタイプです。"
        "慣れ親しんだやり方や思い出を大切にし、落ち着いた環境を好みます。",
        "You tend to notice how the people close to you are doing and enjoy supporting them in concrete "
        "ways. You hold on to familiar ways and shared memories, and prefer calm surroundings.",
    ),
    Profile(
        "INFJ",
        "静かな理想家",
        "The Quiet Idealist",
        "人や出来事の内側にある意味を考えることを好み、大切にしている価値観に沿って先の姿を思い描きます。"
        "少数の人との深い関係を重んじ、一人で考えを温める時間を必要とします。",
        "You like to think about the meaning inside people and events, and picture the future in line "
        "with values you hold dear. You treasure deep ties with a few people and need time alone to let "
        "ideas mature.",
    ),
    Profile(
        "INTJ",
        "長期の構想家",
        "The Long-Range Planner",
        "全体の仕組みを見通し、筋の通った長期的な計画を立てることを好みます。"
        "自分なりの基準で物事を検討し、考えがまとまってから動き出す傾向があります。",
        "You like to see how a whole system works and to draw up coherent long-term plans. You weigh "
        "things against your own standards and tend to act once your thinking has settled.",
    ),
    Profile(
        "ISTP",
        "冷静な探究者",
        "The Cool-Headed Tinkerer",
        "物事がどう動くのかを実際に触って確かめることを好み、目の前の問題を落ち着いて分析します。"
        "決まりごとに縛られるより、その場に合ったやり方を選べる自由を大切にします。",
        "You like to find out how things work by handling them, and you analyse a problem in front of you "
        "calmly. You value the freedom to pick the approach that fits the moment over set routines.",
    ),
    Profile(
        "ISFP",
        "穏やかな感性派",
        "The Gentle Aesthete",
        "今この瞬間の感覚や美しさを味わうことを好み、自分の価値観に正直でありたいと考えます。"
        "人に合わせすぎず、穏やかに自分のペースを保てる環境を心地よく感じます。",
        "You enjoy savouring the senses and beauty of the present moment and want to stay true to your "
        "own values. You feel at ease where you can gently keep your own pace.",
    ),
    Profile(
        "INFP",
        "内省する夢想家",
        "The Reflective Dreamer",
        "自分の内面や理想について思いをめぐらせることを好み、物事の可能性を想像力豊かに描きます。"
        "決める場面では、自分や相手にとって何が大切かを手がかりにします。",
        "You like to reflect on your inner world and ideals, and imagine the possibilities of things "
        "richly. When deciding, you are guided by what matters to you and to the other person.",
    ),
    Profile(
        "INTP",
        "理論の探究者",
        "The Theory Explorer",
        "考えの筋道や理論を組み立て、疑問を納得いくまで掘り下げることを好みます。"
        "結論を急がずに選択肢を開いておき、一人で思考に没頭する時間を大切にします。",
        "You like to build lines of reasoning and theories, and to dig into a question until it makes "
        "sense to you. You keep options open rather than rush to a conclusion, and value time absorbed "
        "in thought.",
    ),
    Profile(
        "ESTP",
        "行動する現実派",
        "The Hands-On Realist",
        "目の前の状況にすばやく反応し、まず動いてみることで物事をつかむのを好みます。"
        "人と一緒ににぎやかに過ごし、その場の変化を楽しむ傾向があります。",
        "You like to respond quickly to the situation at hand and get a grip on things by acting first. "
        "You tend to enjoy lively company and the changes of the moment.",
    ),
    Profile(
        "ESFP",
        "場を明るくする人",
        "The Bright Companion",
        "人と過ごす時間や今ここでの体験を楽しむことを好み、周りの人の気持ちに敏感です。"
        "計画に縛られるより、その日の流れに合わせて動くことに心地よさを感じます。",
        "You enjoy time with people and experiences in the here and now, and you are sensitive to how "
        "those around you feel. You are happier going with the flow of the day than tied to a plan.",
    ),
    Profile(
        "ENFP",
        "可能性を広げる人",
        "The Possibility Seeker",
        "新しい考えや人との出会いに心を動かされ、そこから広がる可能性を次々に思い描くことを好みます。"
        "自分や相手の気持ちを大事にしながら、柔軟に予定を変えていく傾向があります。",
        "New ideas and new people move you, and you like to picture one possibility after another "
        "growing from them. You tend to change plans flexibly while caring about everyone's feelings.",
    ),
    Profile(
        "ENTP",
        "発想の挑戦者",
        "The Idea Challenger",
        "議論を通して考えを試し、当たり前とされていることに別の見方を出すことを好みます。"
        "新しい発想に次々と関心が移り、決まった手順より自由な試行錯誤を楽しみます。",
        "You like to test ideas through debate and to offer another view of what is taken for granted. "
        "Your interest moves from one new idea to the next, and you enjoy free trial and error.",
    ),
    Profile(
        "ESTJ",
        "段取りのまとめ役",
        "The Orderly Organiser",
        "物事を筋道立てて整理し、決めたことを期限どおりに進めることを好みます。"
        "はっきりした役割と基準があると安心し、人と話しながら物事を前へ進めます。",
        "You like to organise things logically and to carry out what was decided on schedule. Clear "
        "roles and standards reassure you, and you move things forward by talking with people.",
    ),
    Profile(
        "ESFJ",
        "人をつなぐ世話役",
        "The Warm Host",
        "周りの人が心地よく過ごせるよう気を配り、人と人とのつながりを大切にすることを好みます。"
        "慣れた習慣や約束ごとを守り、予定が整っていることに安心を覚えます。",
        "You like to make sure the people around you are comfortable and to cherish the ties between "
        "people. You keep to familiar customs and promises, and feel reassured when plans are in order.",
    ),
    Profile(
        "ENFJ",
        "人を励ます語り手",
        "The Encouraging Voice",
        "人の気持ちや成長に関心を寄せ、言葉をかけて周りを励ますことを好みます。"
        "思い描く将来に向けて、人と話し合いながら計画的に物事を進める傾向があります。",
        "You take an interest in people's feelings and growth, and like to encourage those around you "
        "with words. You tend to move towards the future you picture in a planned way, with others.",
    ),
    Profile(
        "ENTJ",
        "目標へ向かう推進役",
        "The Decisive Mover",
        "目標をはっきりさせ、筋の通った計画を立てて物事を前に進めることを好みます。"
        "人と率直に意見を交わし、決めるべきことは早めに決めたいと考えます。",
        "You like to make goals clear and to push things forward with a coherent plan. You exchange "
        "views frankly with people and want decisions made early.",
    ),
)
PROFILES: dict[str, Profile] = {profile.type: profile for profile in _PROFILES}
