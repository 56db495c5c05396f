// The photo for the card, taken with the laptop's camera (getUserMedia): the picture is put into the form's
// file field, so the server receives it exactly like an uploaded one and checks it the same way.
(function () {
  "use strict";
  var form = document.querySelector("[data-camera-form]");
  if (!form) return;
  var input = form.querySelector("[data-camera-input]");
  var box = form.querySelector("[data-camera]");
  var video = form.querySelector("[data-camera-video]");
  var canvas = form.querySelector("[data-camera-canvas]");
  var error = form.querySelector("[data-camera-error]");
  var start = form.querySelector("[data-camera-start]");
  var capture = form.querySelector("[data-camera-capture]");
  var stream = null;

  if (!input || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) {
    return; // choosing a file still works
  }
  start.hidden = false;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    video.hidden = true;
    capture.hidden = true;
  }

  start.addEventListener("click", function () {
    error.hidden = true;
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        box.hidden = false;
        video.hidden = false;
        canvas.hidden = true;
        capture.hidden = false;
      })
      .catch(function () {
        error.hidden = false;
      });
  });

  capture.addEventListener("click", function () {
    if (!stream || !video.videoWidth) return;
    // The canvas is the preview: the page's CSP allows no blob: image.
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(
      function (blob) {
        if (!blob) return;
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "camera.jpg", { type: "image/jpeg" }));
        input.files = transfer.files;
        stop();
        canvas.hidden = false;
      },
      "image/jpeg",
      0.9
    );
  });

  input.addEventListener("change", function () {
    // A file chosen by hand replaces the photo taken.
    if (!input.files.length || input.files[0].name !== "camera.jpg") canvas.hidden = true;
  });
  window.addEventListener("pagehide", stop);
})();
