from django import forms

from centers.models import Room


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = ["name", "floor", "capacity", "purpose", "is_active"]
