"""Word lists for telling place names from other capitalised words in English news.

General knowledge of English and of news writing, not fitted to any corpus: words that start
sentences or headlines, months and days, titles before a person's name, common given names.
"""

from __future__ import annotations

MONTHS = frozenset("""january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec""".split())
DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())

# Words before a person's name: "Mr Trump", "President Obama", "Gov. Bevin", "Sen. Paul".
TITLES = frozenset("""mr mrs ms miss dr prof sir dame lord lady president vice governor gov senator
sen rep representative congressman congresswoman mayor premier minister chancellor secretary
judge justice sheriff officer constable sergeant sgt captain capt lieutenant lt colonel col
general gen commander cmdr chief superintendent inspector detective det pope cardinal bishop
archbishop rev reverend father king queen prince princess emperor sheikh ayatollah imam rabbi
coach mrs. dr. councillor councilman councilwoman alderman ambassador trooper deputy
spokesman spokeswoman spokesperson correspondent reporter editor writer columnist analyst
professor director manager actor actress singer player striker goalkeeper""".split())

# Given names common in English-language news; a capitalised word after one is a surname.
FIRST_NAMES = frozenset("""aaron adam adrian alan albert alex alexander alfred alice alicia amanda amy
andrea andrew angela ann anna anne anthony antonio arthur ashley barbara barry ben benjamin bernie
beth betty bill billy bob bobby brad brandon brenda brian bruce bryan carl carlos carol caroline
catherine charles charlie chris christian christine christopher chuck cindy claire colin craig
dale dan daniel danny darren dave david dean deborah debbie dennis derek diana diane dominic don
donald donna doug douglas dylan ed eddie edward elizabeth ellen emily emma eric erin evan frank
fred gary george gerald gordon grace graham greg gregory hannah harold harry heather helen henry
hillary howard ian jack jackie jacob james jamie jane janet jason jean jeff jeffrey jennifer
jeremy jerry jessica jim jimmy joan joe joel john johnny jon jonathan jose joseph josh joshua
joyce juan judy julia julian julie justin karen kate katherine kathleen kathy keith kelly ken
kenneth kevin kim kimberly kyle larry laura lauren lawrence lee leo linda lisa louis lucy luke
lynn marc margaret maria marie mark martin mary matt matthew megan melissa michael michelle mike
nancy natalie nathan neil nicholas nick nicole noah norman oliver olivia pamela pat patricia
patrick paul paula peter phil philip philippe rachel ralph randy ray raymond rebecca richard rick
robert robin rodney roger ron ronald rose roy russell ruth ryan sam samuel sandra sara sarah scott
sean sharon shawn simon sophie stephanie stephen steve steven stuart susan suzanne tammy teresa
terry thomas tim timothy tina todd tom tommy tony tracy travis victoria vincent walter wayne
wendy will william willie vladimir barack angela boris emmanuel justin theresa recep bashar xi kim
hassan ali mohammed muhammad ahmed omar abdul mahmoud jenny jennifer abby adele agnes alison amber
andy angie annie april audrey beverly bonnie brittany brooke bryce caitlin cameron candice carla
carmen carrie cassandra cathy chad charlotte chelsea cheryl chloe christina christy claudia cody
connie courtney crystal cynthia dakota dana danielle darlene dawn denise dolores dorothy eileen
elaine eleanor elena ella ellie eva evelyn faith felicia florence frances gabriel gail georgia
gina gloria grant gwen haley harper holly hope irene isabel isabella jacqueline jade jasmine jay
jenna jill jo jocelyn jodi jordan josephine joy juanita judith june kara kari kayla kelsey kendra
kerry kristen kristin kylie lana leah leslie lillian lily lindsay lois loretta lori louise lydia
mabel madison mallory mandy marcia margo marilyn marjorie marsha martha maureen max maxine melanie
melinda meredith mia milton molly monica morgan nadia naomi nina nora norma olga paige paris
peggy penny phyllis priscilla regina rhonda rita roberta rosa rosemary roxanne ruby sabrina sadie
sally samantha savannah shannon sheila shelby shirley sierra sonia sophia stacy stella sue summer
sydney sylvia tara tasha taylor tiffany toni tracey trisha valerie vanessa vera veronica vicki
violet virginia vivian whitney yolanda yvonne zoe cory corey marco mitch bernard numan nikki
rand ted lindsey tammy andrei jose luis pedro miguel carlos francisco javier manuel rafael""".split())

# Surnames common in English-language news; many are also towns ("Jackson", "Taylor").
SURNAMES = frozenset("""smith johnson williams brown jones miller davis wilson anderson taylor thomas
moore martin jackson thompson white harris clark lewis robinson walker young allen king wright
scott hill green adams baker nelson carter mitchell roberts turner phillips campbell parker evans
edwards collins stewart morris murphy cook rogers morgan cooper peterson reed bailey bell kelly
howard ward cox richardson wood watson brooks bennett gray grey hughes price sanders myers long
ross foster powell jenkins perry russell sullivan fisher henderson graham hamilton wallace woods
cole west owens reynolds ellis harrison gibson marshall murray ford wells webb simpson stevens
tucker porter hunter hicks crawford boyd mason kennedy warren dixon burns gordon shaw holmes rice
hunt black daniels palmer mills grant knight ferguson stone hawkins dunn perkins hudson spencer
stephens pierce hansen wagner duncan snyder hart cunningham bradley lane andrews harper fox riley
armstrong carpenter weaver greene lawrence elliott sims austin peters kelley franklin lawson
fields ryan schmidt carr vasquez castillo wheeler chapman oliver montgomery richards williamson
johnston banks meyer bishop mccoy howell morrison hansen fernandez garza harvey little burton
stanley nguyen george jacobs reid fuller lynch dean gilbert romero welch larson frazier burke
hanson day mendoza moreno bowman medina fowler brewer hoffman carlson silva pearson holland
douglas fleming jensen vargas byrd davidson hopkins may terry herrera wade soto walters curtis
neal caldwell lowe jennings barnett graves jimenez horton shelton barrett obrien castro sutton
gregory mckinney lucas miles craig rodriquez chambers holt lambert fletcher watts bates hale
rhodes pena beck newman haynes mcdaniel mendez bush vaughn parks dawson santiago norris hardy
love steele curry powers schultz barker guzman page munoz ball keller chandler weber leonard
walsh lyons ramsey wolfe schneider mullins benson sharp bowen daniel barber cummings hines
baldwin griffith valdez hubbard salazar reeves warner stevenson burgess santos tate cross
garner mann mack moss thornton dennis mcgee farmer delgado aguilar vega glover manning cohen
harmon rodgers robbins newton todd blair higgins ingram reese cannon strickland townsend potter
goodwin walton rowe hampton ortega patton swanson joseph francis goodman maldonado yates becker
erickson hodges rios conner adkins webster norman malone hammond flowers cobb moody quinn blake
maxwell pope floyd osborne paul mccarthy guerrero lindsey estrada sandoval gibbs tyler gross
fitzgerald stokes doyle sherman saunders wise colon gill alvarado greer padilla simon waters
nunez ballard schwartz mcbride houston christensen klein pratt briggs parsons mclaughlin
zimmerman french buchanan moran copeland roy pittman brady mccormick holloway brock poole frank
logan owen bass marsh drake wong jefferson park morton abbott sparks patrick norton huff clayton
massey lloyd figueroa carson bowers roberson barton tran lamb harrington casey boone cortez
clarke mathis singleton wilkins cain bryan underwood hogan mckenzie collier luna phelps
mcguire allison bridges wilkerson nash summers atkins trump obama clinton putin merkel macron
erdogan assad""".split())

# Capitalised at the start of a sentence or in headlines, and also names of some village
# somewhere: never a place on their own.
COMMON = frozenset("""a about after again against all also although among an and another any are
as at back be because been before being below between both but by can could did do does down
during each early even every few first for from further had has have he her here hers him his
how however i if in into is it its just last late later least less like little made make many
may me might more most much must my new next no nor not now of off often on once one only or
other our out over own per perhaps police since so some still such than that the their them then
there these they this those through to too under until up upon us very was we well were what
when where whether which while who whom whose why will with within without would yet you your
said says according today tonight yesterday tomorrow morning evening night week weekend year
years day days month time times people man men woman women city town county state province
country nation government court hospital school university college church street road avenue
north south east west northern southern eastern western central upper lower greater
national international federal royal union independence liberty freedom victory hope
justice peace unity progress providence mission enterprise commerce industry opportunity
republican democrat democratic liberal conservative labour labor green party
god lord christ christmas easter ramadan eid olympics olympic world cup games
read more see also photo video watch listen update breaking news report live
media press post star sun mail times journal herald tribune globe
man fire water rock river lake bay island beach park mount hill valley springs falls
wood woods forest field fields garden gardens bridge bridges harbour harbor port haven
sunday monday tuesday wednesday thursday friday saturday best good great big small
center centre lakes hall act rest airport superior commonwealth alliance falcon marshal
mobile reading bath nice split police army navy air force bank office house home
one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred hundreds thousand thousands million millions""".split())

# News agencies, named as often as the places they share a name with ("Xinhua", "Anadolu").
NEWS_AGENCIES = frozenset("""reuters afp ap upi xinhua irna tass interfax anadolu yonhap kyodo bernama
ansa efe pti sputnik ria novosti bloomberg""".split())

# Words that end a county or district's name: "Metcalfe County", "Orleans Parish".
AREA_WORDS = frozenset("county parish borough district municipality township province prefecture region".split())

# Words that end a street's name: a place's name right before one is part of the street
# ("Hertford Road", "King Edward Street"), not the place.
STREET_WORDS = frozenset("street road avenue lane drive boulevard highway crescent close way square terrace".split())

# Words that end a building's or an institution's name: such a name is no town, even when a town
# somewhere has it as an alternate name ("White House" is an old name of Casablanca).
BUILDING_WORDS = frozenset("""house hall church cathedral chapel mosque temple museum gallery hospital school
university college academy centre center court station airport stadium arena tower hotel library
prison theatre theater market mall""".split())

# Degrees written after a person's name ("Charles Murphy, M.D."), which read like a state's abbreviation.
DEGREES = frozenset({"M.D.", "Ph.D.", "D.O.", "R.N.", "M.A.", "B.A.", "M.S.", "B.S.", "J.D.", "D.D.S.", "M.B.A."})
