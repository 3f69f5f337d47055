// The calm page shown while the content files cannot be read (ui/calm.py): it says the same
// in every language the files had, each in its own box; give each box its language, so a
// screen reader speaks it in the right voice.
document.querySelectorAll("[class*=st-key-not_set_up_]").forEach((box) => {
  box.lang = box.className.match(/st-key-not_set_up_(\w+)/)[1];
});
