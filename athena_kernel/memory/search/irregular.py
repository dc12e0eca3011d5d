"""Irregular English word forms mapped to their base form before stemming.

A suffix stemmer cannot see that *went* is *go* or *bought* is *buy*; questions are usually
asked in the present tense ("When did she go ...?") about things told in the past ("I went
..."). The table covers common irregular verbs and plurals; forms that are also frequent nouns or
adjectives with another meaning (*left*, *rose*, *ground*, *bit*, *lay*, *bore*, *wound*, ...)
are left out so they keep their own meaning.
"""

from __future__ import annotations

__all__ = ["IRREGULAR_FORMS"]

# base form followed by its irregular forms; one group per line
_GROUPS = """
arise arose arisen
awake awoke awoken
beat beaten
become became
begin began begun
bend bent
bleed bled
blow blew blown
break broke broken
breed bred
bring brought
build built
burn burnt
buy bought
catch caught
choose chose chosen
cling clung
come came
creep crept
deal dealt
dig dug
draw drew drawn
dream dreamt
drink drank drunk
drive drove driven
eat ate eaten
fall fell fallen
feed fed
feel felt
fight fought
find found
flee fled
fly flew flown
forbid forbade forbidden
forget forgot forgotten
forgive forgave forgiven
freeze froze frozen
get got gotten
give gave given
go went gone
grow grew grown
hang hung
hear heard
hide hid hidden
hold held
keep kept
kneel knelt
know knew known
lead led
lean leant
leap leapt
learn learnt
lend lent
lose lost
make made
mean meant
meet met
mistake mistook mistaken
overcome overcame
pay paid
ride rode ridden
ring rang rung
rise risen
run ran
say said
see saw seen
seek sought
sell sold
send sent
shake shook shaken
shine shone
shoot shot
show shown
shrink shrank shrunk
sing sang sung
sink sank sunk
sit sat
sleep slept
slide slid
speak spoke spoken
speed sped
spend spent
spin spun
spring sprang sprung
stand stood
steal stole stolen
sting stung
stink stank stunk
strike struck
strive strove striven
swear swore sworn
sweep swept
swim swam swum
swing swung
take took taken
teach taught
tell told
think thought
throw threw thrown
undertake undertook undertaken
understand understood
wake woke woken
wear wore worn
weave wove woven
weep wept
win won
withdraw withdrew withdrawn
write wrote written
child children
man men
woman women
mouse mice
foot feet
tooth teeth
goose geese
"""


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _GROUPS.strip().splitlines():
        base, *forms = line.split()
        for form in forms:
            table[form] = base
    return table


#: Irregular form -> base form (lower case), e.g. ``"went" -> "go"``.
IRREGULAR_FORMS: dict[str, str] = _build()
