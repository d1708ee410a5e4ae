"""More people for the browser tests, imported after the Rezaei family (tests/families.py).

On 1 Azar 1405 (2026-11-22): Hassan Karimi, 60, a pensioner, covered month by month; his wife
Maryam (no mobile: she cannot sign in); his son Reza turns 19 on 11 Dey 1405 (2027-01-01) with
no student certificate; his daughter Neda, 20, has not shown her original birth certificate.
Mehdi Nouri, insured on his own, is the one whose mobile the branch changes (`test_staff.py`):
nobody else's journey signs in with his number. Fariba Ahmadi, a pensioner, has a husband of 58
(Jafar): he is covered from 60, on 11 Esfand 1406 (2028-03-01). Akbar Sadeghi, a pensioner,
has a son of 19, Amir, with no student certificate: the one whose certificate his father sends
from the app (`test_documents_journey.py`), so nobody else's journey counts on his cover; his
mother Zahra, a pensioner too, has him on her cover as well and no push subscription.
"""

PENSIONER = "0071234561"
PENSIONER_MOBILE = "09121112233"
PENSIONER_WIFE = "0072345675"
SON_TURNING_19 = "0073456780"
DAUGHTER_OVER_18 = "0074567896"
NEW_MOBILE_PERSON = "0075678901"
WIFE_INSURED = "0077890124"
WIFE_INSURED_MOBILE = "09121119999"
HUSBAND_OF_58 = "0078901235"
FATHER_OF_STUDENT = "0079123465"
FATHER_OF_STUDENT_MOBILE = "09121114455"
STUDENT_SON = "0079234577"
MOTHER_OF_STUDENT = "0079345689"
MOTHER_OF_STUDENT_MOBILE = "09121116677"

FILES = {
    "persons.csv": (
        "national_code,first_name,last_name,birth_date,sex,mobile,death_date",
        f"{PENSIONER},حسن,کریمی,1966-06-01,M,{PENSIONER_MOBILE},",
        f"{PENSIONER_WIFE},مریم,کریمی,1970-02-01,F,,",
        f"{SON_TURNING_19},رضا,کریمی,2008-01-01,M,,",
        f"{DAUGHTER_OVER_18},ندا,کریمی,2006-05-01,F,,",
        f"{NEW_MOBILE_PERSON},مهدی,نوری,1975-09-01,M,09151111111,",
        f"{WIFE_INSURED},فریبا,احمدی,1970-04-01,F,{WIFE_INSURED_MOBILE},",
        f"{HUSBAND_OF_58},جعفر,احمدی,1968-03-01,M,,",
        f"{FATHER_OF_STUDENT},اکبر,صادقی,1962-08-01,M,{FATHER_OF_STUDENT_MOBILE},",
        f"{STUDENT_SON},امیر,صادقی,2007-06-01,M,,",
        f"{MOTHER_OF_STUDENT},زهرا,صادقی,1966-02-01,F,{MOTHER_OF_STUDENT_MOBILE},",
    ),
    "insured.csv": (
        "national_code,insurance_number,kind,start_date,end_date",
        f"{PENSIONER},2000000001,pensioner,2020-01-01,",
        f"{NEW_MOBILE_PERSON},2000000002,pensioner,2021-01-01,",
        f"{WIFE_INSURED},2000000003,pensioner,2022-01-01,",
        f"{FATHER_OF_STUDENT},2000000004,pensioner,2022-01-01,",
        f"{MOTHER_OF_STUDENT},2000000005,pensioner,2023-01-01,",
    ),
    "dependants.csv": (
        "insured_national_code,national_code,relation,start_date,end_date",
        f"{PENSIONER},{PENSIONER_WIFE},spouse,1990-01-01,",
        f"{PENSIONER},{SON_TURNING_19},child,2008-01-01,",
        f"{PENSIONER},{DAUGHTER_OVER_18},child,2006-05-01,",
        f"{WIFE_INSURED},{HUSBAND_OF_58},spouse,1995-01-01,",
        f"{FATHER_OF_STUDENT},{STUDENT_SON},child,2007-06-01,",
        f"{MOTHER_OF_STUDENT},{STUDENT_SON},child,2007-06-01,",
    ),
}
