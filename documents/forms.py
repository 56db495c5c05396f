from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SubmissionTokenForm

from .files import check_upload


class DocumentForm(SubmissionTokenForm):
    kind = forms.ChoiceField(label=_("Kind of document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG. Pictures are kept without their metadata (place, camera, time)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

    def clean_file(self):
        # The checked file (type read from the content, images re-encoded) replaces the upload.
        return check_upload(self.cleaned_data["file"])


class PhotoForm(SubmissionTokenForm):
    photo = forms.FileField(
        label=_("Photo"),
        help_text=_("Take it with the camera, or choose a JPEG or PNG picture."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png", "data-camera-input": ""}),
    )

    def clean_photo(self):
        return check_upload(self.cleaned_data["photo"], photo=True)
