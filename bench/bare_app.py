"""The floor for the benchmarks: the same widgets as the questionnaire, with no logic.

Welcome (a Start button), four questions (a radio of four answers, Back and Next), a
reflection, help and close (Back and Next), and Start over on every screen. No content files,
no styles, no scripts: no questionnaire on Streamlit can cost less than this.
"""

import streamlit as st

ANSWERS = ["This sounds like me", "Sometimes", "Not really", "I'd rather not say"]
NEXT = {5: "Ways people find help", 6: "What to do next"}

step = st.session_state.setdefault("step", 0)


def go(to: int) -> None:
    st.session_state.step = to


st.button("Quick exit", key="quick_exit")
st.markdown("**Need help now?** 988 · 1-800-662-4357 · 911")
if step == 0:
    st.title("A private reflection on coping")
    st.markdown("A short, private reflection. It is not a test or a diagnosis.")
    st.button("Start the reflection", on_click=go, args=(1,), type="primary")
elif step <= 4:
    st.title(f"Question {step} of 4")
    st.progress(step / 4)
    st.radio("How well does this fit you?", ANSWERS, index=None, key=f"answer{step}")
    st.button("Back", on_click=go, args=(step - 1,))
    st.button("Next", on_click=go, args=(step + 1,), type="primary")
else:
    st.title(["Your reflection", "Ways people find help", "Talk with a professional"][step - 5])
    st.markdown("A few paragraphs of explanation would be here.")
    st.button("Back", on_click=go, args=(step - 1,))
    if step in NEXT:
        st.button(NEXT[step], on_click=go, args=(step + 1,), type="primary")
st.button("Start over", on_click=go, args=(0,), key="start_over")
